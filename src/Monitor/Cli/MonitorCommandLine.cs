using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Monitor.Demo;
using Monitor.Hosting;

namespace Monitor.Cli;

/// <summary>The <c>monitor</c> command line: one executable, one verb per job.</summary>
public static class MonitorCommandLine
{
    public static Task<int> InvokeAsync(string[] args)
    {
        RootCommand root = new("Monitor serves ONNX models exported from Keras over the Open Inference Protocol and exports Prometheus metrics about their speed, health and accuracy.");
        root.Subcommands.Add(CreateServeCommand());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        return CommandLineInvoker.InvokeAsync(root, args);
    }

    private static Command CreateServeCommand()
    {
        Option<string?> repository = new("--repository", "-r") { Description = "Model repository folder, laid out as <model>/<version>/model.onnx. Sets Monitor:ModelRepository." };
        Option<bool> demo = new("--demo") { Description = "Build the demo model (a machine-condition classifier trained on synthetic sensor data) into ./demo-repository and serve it." };
        Option<int?> httpPort = new("--http-port") { Description = "Inference API port. Sets Monitor:HttpPort. Default: 8000." };
        Option<int?> metricsPort = new("--metrics-port") { Description = "Prometheus /metrics port. Sets Monitor:MetricsPort. Default: 9464." };
        Option<string?> listen = new("--listen") { Description = "Address both ports bind to. Sets Monitor:ListenAddress. Default: 0.0.0.0." };
        Option<string?> provider = new("--execution-provider") { Description = "ONNX Runtime execution provider: auto, cpu or cuda. Default: auto (CUDA when it loads, else CPU)." };

        Command serve = new("serve", "Run the daemon: load the model repository and serve inference and metrics until stopped. Every option can also come from appsettings.json or environment variables such as Monitor__ModelRepository.")
        {
            repository, demo, httpPort, metricsPort, listen, provider,
        };
        serve.SetAction(async (result, cancellationToken) =>
        {
            Dictionary<string, string?> settings = [];
            string? repositoryPath = result.GetValue(repository) is { } given ? Path.GetFullPath(given) : null;
            if (result.GetValue(demo))
            {
                if (repositoryPath is not null)
                {
                    await Console.Error.WriteLineAsync("monitor: --demo builds its own repository in ./demo-repository; leave out --repository.");
                    return 2;
                }

                repositoryPath = Path.GetFullPath("demo-repository");
                string modelDirectory = DemoModelBuilder.Build(repositoryPath);
                Console.WriteLine($"Demo model written to {modelDirectory}; labelled sample: {Path.Combine(modelDirectory, DemoModelBuilder.SampleFileName)}");
            }

            else if (repositoryPath is not null && !Directory.Exists(repositoryPath))
            {
                await Console.Error.WriteLineAsync($"monitor: model repository '{repositoryPath}' does not exist; give the folder that contains <model>/<version>/model.onnx.");
                return 2;
            }

            Set(settings, "ModelRepository", repositoryPath);
            Set(settings, "HttpPort", result.GetValue(httpPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(settings, "MetricsPort", result.GetValue(metricsPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(settings, "ListenAddress", result.GetValue(listen));
            Set(settings, "ExecutionProvider", result.GetValue(provider));

            try
            {
                await using WebApplication app = MonitorServer.Build([], settings);
                await app.RunAsync(cancellationToken);
                return 0;
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException exception)
            {
                await Console.Error.WriteLineAsync($"monitor: invalid configuration: {string.Join(" ", exception.Failures)}");
                return 2;
            }
            catch (IOException exception)
            {
                await Console.Error.WriteLineAsync($"monitor: {exception.Message}");
                return 1;
            }
            catch (InvalidOperationException exception) when (exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
            {
                // a setting of the wrong type, such as Monitor__InferenceTimeoutSeconds=abc
                await Console.Error.WriteLineAsync($"monitor: invalid configuration: {exception.Message}");
                return 2;
            }
        });
        return serve;
    }

    private static void Set(Dictionary<string, string?> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings[$"{MonitorOptions.SectionName}:{key}"] = value;
        }
    }
}
