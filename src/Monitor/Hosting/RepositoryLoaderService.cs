using Microsoft.Extensions.Hosting;
using Monitor.Repository;

namespace Monitor.Hosting;

/// <summary>Loads the model repository in the background after start, so that liveness answers while models load.</summary>
internal sealed class RepositoryLoaderService : BackgroundService
{
    private readonly ModelRegistry registry;

    public RepositoryLoaderService(ModelRegistry registry)
    {
        this.registry = registry;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Run(this.registry.LoadRepository, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        this.registry.Dispose();
    }
}
