using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Monitor.Telemetry;

namespace Monitor.Repository;

/// <summary>
/// Signals changes under the repository folder from file system events. Events are a hint only:
/// Kubernetes volume updates swap a symbolic link and raise no event for the files behind it,
/// so the caller rescans on a timer as well.
/// </summary>
public sealed class RepositoryWatcher : IDisposable
{
    private readonly Channel<bool> signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly FileSystemWatcher? watcher;
    private readonly string repository;
    private readonly ILogger logger;

    public RepositoryWatcher(string repository, ILogger logger)
    {
        this.repository = repository;
        this.logger = logger;
        try
        {
            this.watcher = new FileSystemWatcher(repository)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite | NotifyFilters.CreationTime,
            };
            this.watcher.Created += this.OnChanged;
            this.watcher.Changed += this.OnChanged;
            this.watcher.Deleted += this.OnChanged;
            this.watcher.Renamed += this.OnChanged;
            this.watcher.Error += this.OnError;
            this.watcher.EnableRaisingEvents = true;
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // for example the inotify watch limit; the rescan timer still finds every change
            this.watcher?.Dispose();
            this.watcher = null;
            logger.RepositoryWatcherFailed(repository, exception.Message);
        }
    }

    /// <summary>Waits for a file system event or for <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using CancellationTokenSource timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await this.signals.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the timeout passed without an event
        }
    }

    public void Dispose() => this.watcher?.Dispose();

    private void OnChanged(object sender, FileSystemEventArgs e) => this.signals.Writer.TryWrite(true);

    private void OnError(object sender, ErrorEventArgs e)
    {
        this.logger.RepositoryWatcherFailed(this.repository, e.GetException().Message);
        this.signals.Writer.TryWrite(true);
    }
}
