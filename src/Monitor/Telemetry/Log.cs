using Microsoft.Extensions.Logging;

namespace Monitor.Telemetry;

/// <summary>Structured log events of the daemon.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Loading model {Model} version {Version} from '{Path}'.")]
    public static partial void LoadingModel(this ILogger logger, string model, long version, string path);

    [LoggerMessage(2, LogLevel.Information, "Loaded model {Model} version {Version} on {Provider} in {Seconds:0.000} s; task {Task}, inputs {Inputs}, outputs {Outputs}.")]
    public static partial void LoadedModel(this ILogger logger, string model, long version, string provider, double seconds, string task, string inputs, string outputs);

    [LoggerMessage(3, LogLevel.Error, "Failed to load model {Model} version {Version} from '{Path}': {Reason}")]
    public static partial void ModelLoadFailed(this ILogger logger, string model, long version, string path, string reason, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "CUDA execution provider unavailable for model {Model} version {Version}; using CPU. Reason: {Reason}")]
    public static partial void CudaUnavailable(this ILogger logger, string model, long version, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Skipped repository entry: {Reason}")]
    public static partial void RepositoryEntrySkipped(this ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Error, "Inference failed for model {Model} version {Version} on a batch of {Rows} rows.")]
    public static partial void InferenceFailed(this ILogger logger, string model, long version, int rows, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Model repository '{Repository}' scanned: {Ready} of {Total} models ready.")]
    public static partial void RepositoryLoaded(this ILogger logger, string repository, int ready, int total);

    [LoggerMessage(8, LogLevel.Error, "Request to {Path} failed with an unexpected error.")]
    public static partial void UnexpectedRequestError(this ILogger logger, string path, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Unloaded model {Model} version {Version}.")]
    public static partial void UnloadedModel(this ILogger logger, string model, long version);

    [LoggerMessage(10, LogLevel.Information, "Monitor serves inference on {HttpUrl} and Prometheus metrics on {MetricsUrl}/metrics.")]
    public static partial void Listening(this ILogger logger, string httpUrl, string metricsUrl);

    [LoggerMessage(11, LogLevel.Information, "Model {Model} version {Version} now serves '{Path}'; the instance it replaced unloads after its last request.")]
    public static partial void ModelReplaced(this ILogger logger, string model, long version, string path);

    [LoggerMessage(12, LogLevel.Information, "Retiring model {Model} version {Version}: its version policy no longer selects it; it unloads after its last request.")]
    public static partial void RetiringModel(this ILogger logger, string model, long version);

    [LoggerMessage(13, LogLevel.Information, "Removed model {Model}: {Reason}. Its requests now answer 404; loaded versions unload after their last request.")]
    public static partial void ModelRemoved(this ILogger logger, string model, string reason);

    [LoggerMessage(14, LogLevel.Error, "Failed to scan model repository '{Repository}': {Reason}. Models keep serving as they are; the next rescan tries again.")]
    public static partial void RepositoryScanFailed(this ILogger logger, string repository, string reason, Exception exception);

    [LoggerMessage(15, LogLevel.Debug, "Model {Model} version {Version}: '{Path}' changed within the settle time; loading it once it stays unchanged.")]
    public static partial void ModelFileNotSettled(this ILogger logger, string model, long version, string path);

    [LoggerMessage(16, LogLevel.Information, "Watching model repository '{Repository}': file system events, a rescan every {PollSeconds} s, files load after {SettleSeconds} s unchanged.")]
    public static partial void WatchingRepository(this ILogger logger, string repository, double pollSeconds, double settleSeconds);

    [LoggerMessage(17, LogLevel.Warning, "File system events for model repository '{Repository}' failed: {Reason}. Changes are still found by the periodic rescan.")]
    public static partial void RepositoryWatcherFailed(this ILogger logger, string repository, string reason);

    [LoggerMessage(18, LogLevel.Information, "Load of model {Model} requested through the repository endpoint.")]
    public static partial void ModelLoadRequested(this ILogger logger, string model);

    [LoggerMessage(19, LogLevel.Information, "Unload of model {Model} requested through the repository endpoint.")]
    public static partial void ModelUnloadRequested(this ILogger logger, string model);

    [LoggerMessage(20, LogLevel.Information, "Stopping: draining queued inference within {Seconds} s (Monitor:ShutdownGracePeriodSeconds).")]
    public static partial void Draining(this ILogger logger, double seconds);

    [LoggerMessage(21, LogLevel.Warning, "Stopping: the grace period ended with {Count} model versions still busy; their queued requests are dropped.")]
    public static partial void DrainTimedOut(this ILogger logger, int count);

    [LoggerMessage(22, LogLevel.Debug, "Rejected request to {Path}: the API key is missing or invalid.")]
    public static partial void ApiKeyRejected(this ILogger logger, string path);

    [LoggerMessage(23, LogLevel.Information, "Reloaded the API key from '{Path}'.")]
    public static partial void ApiKeyReloaded(this ILogger logger, string path);

    [LoggerMessage(24, LogLevel.Warning, "Monitor:Quality:PredictionIdKeyFile is not set, so prediction ids are signed with a key made at start: feedback is scored only by this process and only until it restarts. Mount a shared key file for several replicas.")]
    public static partial void GeneratedPredictionIdKey(this ILogger logger);

    [LoggerMessage(25, LogLevel.Warning, "Reference profile of model {Model} version {Version} not used: {Reason}")]
    public static partial void ReferenceProfileRejected(this ILogger logger, string model, long version, string reason);

    [LoggerMessage(26, LogLevel.Information, "Model {Model} version {Version} uses the reference profile '{Path}' ({Rows} rows).")]
    public static partial void ReferenceProfileLoaded(this ILogger logger, string model, long version, string path, int rows);

    [LoggerMessage(27, LogLevel.Information, "Evaluated model {Model} version {Version} on {Dataset}: {Rows} rows, accuracy {Accuracy:0.####}, loss {Loss:0.####}.")]
    public static partial void CanaryEvaluated(this ILogger logger, string model, long version, string dataset, int rows, double accuracy, double loss);

    [LoggerMessage(28, LogLevel.Error, "Scheduled evaluation of model {Model} version {Version} on {Dataset} failed: {Reason}")]
    public static partial void CanaryFailed(this ILogger logger, string model, long version, string dataset, string reason, Exception exception);

    [LoggerMessage(29, LogLevel.Information, "GPU metrics off: {Reason}.")]
    public static partial void GpuMetricsUnavailable(this ILogger logger, string reason);

    [LoggerMessage(30, LogLevel.Information, "GPU metrics from NVML for {Count} devices.")]
    public static partial void GpuMetricsAvailable(this ILogger logger, int count);

    [LoggerMessage(31, LogLevel.Warning, "The API key file '{Path}' could not be used ({Reason}); requests are still checked against the previous key.")]
    public static partial void ApiKeyKept(this ILogger logger, string path, string reason);
}
