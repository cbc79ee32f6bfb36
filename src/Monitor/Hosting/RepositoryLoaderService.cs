using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitor.Repository;
using Monitor.Telemetry;

namespace Monitor.Hosting;

/// <summary>
/// Loads the model repository in the background after start, so that the liveness probe responds
/// while models load. Then it follows the folder: file system events and a periodic rescan start a
/// pass, and while a changed file has not settled, the next pass comes after the settle time.
/// On stop, it drains the queued work of every model version within the shutdown timeout.
/// </summary>
internal sealed class RepositoryLoaderService : BackgroundService
{
    private readonly ModelRegistry registry;
    private readonly MonitorOptions options;
    private readonly ILogger<RepositoryLoaderService> logger;

    public RepositoryLoaderService(ModelRegistry registry, IOptions<MonitorOptions> options, ILogger<RepositoryLoaderService> logger)
    {
        this.registry = registry;
        this.options = options.Value;
        this.logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Run(this.registry.LoadRepository, stoppingToken);
        if (!this.options.WatchRepository)
        {
            return;
        }

        TimeSpan pollInterval = TimeSpan.FromSeconds(this.options.RepositoryPollIntervalSeconds);
        TimeSpan settleTime = TimeSpan.FromSeconds(this.options.RepositorySettleSeconds);
        using RepositoryWatcher watcher = new(this.options.ModelRepository, this.logger);
        this.logger.WatchingRepository(this.options.ModelRepository, pollInterval.TotalSeconds, settleTime.TotalSeconds);

        while (!stoppingToken.IsCancellationRequested)
        {
            // a file that waits to settle is checked again once the settle time has passed
            TimeSpan wait = this.registry.HasUnsettledFiles && settleTime < pollInterval ? settleTime : pollInterval;
            try
            {
                await watcher.WaitAsync(wait, stoppingToken);
                await Task.Run(() => this.registry.Synchronize(settle: true, stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // the host stops services in reverse order and registers the web server last, so the server
        // has already waited for the requests it accepted; each version goes once its queue is empty
        this.logger.Draining(this.options.ShutdownGracePeriodSeconds);
        await this.registry.DrainAsync(cancellationToken);
    }
}
