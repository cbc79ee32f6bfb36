using Monitor.Demo;
using Monitor.Testing;

namespace Monitor.Tests.Infrastructure;

/// <summary>
/// One daemon shared by the serving tests: the three fixture models, the demo model and a
/// corrupt model file.
/// </summary>
public sealed class ServingDaemonFixture : IAsyncLifetime
{
    public const string MnistMlp = "mnist-mlp";
    public const string MnistCnn = "mnist-cnn";
    public const string Iris = "iris";
    public const string Broken = "broken";

    private MonitorDaemon? daemon;

    public MonitorDaemon Daemon => this.daemon ?? throw new InvalidOperationException("The daemon has not started.");

    public async Task InitializeAsync()
    {
        this.daemon = await MonitorDaemon.StartAsync(repository =>
        {
            repository.AddFixture(MnistMlp, Fixtures.MnistMlp);
            repository.AddFixture(MnistCnn, Fixtures.MnistCnn, settingsJson: """{ "input": { "scale": 0.003921568627 } }""");
            repository.AddFixture(Iris, Fixtures.IrisMlp, settingsJson: """{ "classNames": ["setosa", "versicolor", "virginica"] }""");
            repository.AddFile(Broken, "this is not an ONNX model"u8.ToArray());
            DemoModelBuilder.Build(repository.Root);
        });
    }

    public async Task DisposeAsync()
    {
        if (this.daemon is not null)
        {
            await this.daemon.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServingCollection : ICollectionFixture<ServingDaemonFixture>
{
    public const string Name = "serving daemon";
}
