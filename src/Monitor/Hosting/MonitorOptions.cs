using System.ComponentModel.DataAnnotations;

namespace Monitor.Hosting;

/// <summary>
/// Daemon settings, bound from the <c>Monitor</c> configuration section and validated at start.
/// </summary>
public sealed class MonitorOptions
{
    public const string SectionName = "Monitor";

    internal const int DefaultHttpPort = 8000;

    internal const int DefaultMetricsPort = 9464;

    /// <summary>Gets or sets the model repository folder: <c>&lt;model&gt;/&lt;version&gt;/model.onnx</c>.</summary>
    [Required(ErrorMessage = "Monitor:ModelRepository is required: set it to the folder that contains <model>/<version>/model.onnx.")]
    public string ModelRepository { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the IP address both ports bind to: an IPv4 or IPv6 address, or <c>localhost</c> for
    /// the loopback address. Default: <c>0.0.0.0</c>, every IPv4 interface, as a container needs.
    /// </summary>
    [RegularExpression(@"^(localhost|[0-9.]+|[0-9a-fA-F:]+)$", ErrorMessage = "Monitor:ListenAddress must be an IP address or localhost.")]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Gets or sets the inference API port. Default: 8000.</summary>
    [Range(1, 65535)]
    public int HttpPort { get; set; } = DefaultHttpPort;

    /// <summary>Gets or sets the Prometheus scrape port, serving <c>/metrics</c>. Default: 9464.</summary>
    [Range(1, 65535)]
    public int MetricsPort { get; set; } = DefaultMetricsPort;

    /// <summary>Gets or sets the ONNX Runtime execution provider: <c>auto</c>, <c>cpu</c> or <c>cuda</c>. Default: auto.</summary>
    [RegularExpression("^(?i)(auto|cpu|cuda)$", ErrorMessage = "Monitor:ExecutionProvider must be auto, cpu or cuda.")]
    public string ExecutionProvider { get; set; } = "auto";

    /// <summary>
    /// Gets or sets the threads ONNX Runtime uses inside one run on CPU. Default: 0, ONNX Runtime's
    /// choice (one per physical core). With several batches or requests running at once, fewer
    /// threads per run can avoid oversubscribing the cores.
    /// </summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>Gets or sets the CUDA device id used when the CUDA provider is chosen. Default: 0.</summary>
    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    /// <summary>Gets or sets the largest accepted request body, in bytes. Default: 32 MiB.</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 32L << 20;

    /// <summary>Gets or sets the largest number of rows in one inference request. Default: 4096.</summary>
    [Range(1, 1 << 20)]
    public int MaxRowsPerRequest { get; set; } = 4096;

    /// <summary>
    /// Gets or sets whether readiness requires every model in the repository to have a ready
    /// version. When false, the server is ready once the first load pass is over and at least
    /// one model is ready. Default: false.
    /// </summary>
    public bool StrictReadiness { get; set; }

    /// <summary>Gets or sets the limit on one inference, from arrival to response, in seconds. Default: 30.</summary>
    [Range(0.01, 3600)]
    public double InferenceTimeoutSeconds { get; set; } = 30;

    /// <summary>Gets or sets whether metrics are exported on the metrics port. Default: true; false only for benchmarks.</summary>
    public bool ExportMetrics { get; set; } = true;

    /// <summary>Gets or sets the Prometheus exporter's scrape cache, in milliseconds. Default: 0 (no cache).</summary>
    [Range(0, 60_000)]
    public int ScrapeCacheMilliseconds { get; set; }

    /// <summary>Gets the default dynamic batching settings; a model's <c>monitor.json</c> overrides them.</summary>
    public BatchingOptions Batching { get; set; } = new();

    /// <summary>Gets the circuit breaker settings applied to every model version.</summary>
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Gets the model-quality settings: prediction ids, feedback and drift.</summary>
    public Monitor.Quality.QualityOptions Quality { get; set; } = new();

    /// <summary>Gets or sets the maximum number of tensor elements in one inference request, summed over its inputs. Default: 4,194,304 (16 MiB of FP32).</summary>
    [Range(1, 1L << 31)]
    public long MaxTensorElements { get; set; } = 1L << 22;

    /// <summary>Gets or sets the maximum number of concurrent HTTP/2 streams (requests) on one client connection. Default: 100.</summary>
    /// <remarks>The plain-HTTP ports speak HTTP/1.1 only, which carries one request at a time per connection.</remarks>
    [Range(1, 10_000)]
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Gets or sets a file whose content is the API key that clients send; unset leaves the API open. Default: unset.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Gets or sets how long a stopping daemon lets accepted requests finish, in seconds. Default: 20.</summary>
    [Range(0, 3600)]
    public double ShutdownGracePeriodSeconds { get; set; } = 20;

    /// <summary>Gets or sets whether the daemon watches the repository and loads, replaces and unloads versions while it runs. Default: true.</summary>
    public bool WatchRepository { get; set; } = true;

    /// <summary>Gets or sets the interval of the full repository rescan that backs up file system events, in seconds. Default: 10.</summary>
    [Range(0.1, 86_400)]
    public double RepositoryPollIntervalSeconds { get; set; } = 10;

    /// <summary>Gets or sets how long a new or changed model file must stay unchanged before it is loaded, in seconds. Default: 2.</summary>
    [Range(0, 3600)]
    public double RepositorySettleSeconds { get; set; } = 2;

    /// <summary>Gets the settings of the repository control endpoints under <c>/v2/repository</c>.</summary>
    public RepositoryControlOptions RepositoryControl { get; set; } = new();
}
