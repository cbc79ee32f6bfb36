using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Monitor.Telemetry;

/// <summary>
/// The serving instruments of the <c>Monitor</c> meter. Names are OpenTelemetry names; the
/// Prometheus exporter serves them as listed in <c>docs/metrics.md</c>.
/// </summary>
public sealed class MonitorMetrics
{
    public const string MeterName = "Monitor";

    /// <summary>Duration buckets in seconds, from 100 µs (CPU inference of a small model) to 10 s (a stalled GPU).</summary>
    internal static readonly double[] DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    internal static readonly double[] BatchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Counter<long> requests;
    private readonly Counter<long> rows;
    private readonly Histogram<double> requestDuration;
    private readonly Histogram<double> computeDuration;
    private readonly Histogram<double> queueDuration;
    private readonly Histogram<long> batchSize;
    private readonly UpDownCounter<long> activeRequests;
    private readonly Counter<long> rejectedRequests;
    private readonly Histogram<double> loadDuration;
    private readonly Counter<long> loadFailures;

    public MonitorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);

        this.Meter = meterFactory.Create(MeterName);

        this.requests = this.Meter.CreateCounter<long>(
            "monitor.inference.requests", "{request}", "Inference requests by outcome.");
        this.rows = this.Meter.CreateCounter<long>(
            "monitor.inference.rows", "{row}", "Rows inferred.");
        this.requestDuration = this.Meter.CreateHistogram(
            "monitor.inference.request.duration", "s", "Time from receiving an inference request to writing its response.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        this.computeDuration = this.Meter.CreateHistogram(
            "monitor.inference.compute.duration", "s", "Time ONNX Runtime spent running one batch.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        this.queueDuration = this.Meter.CreateHistogram(
            "monitor.inference.queue.duration", "s", "Time a request waited in the batching queue.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        this.batchSize = this.Meter.CreateHistogram(
            "monitor.inference.batch.size", "{row}", "Rows in each batch given to ONNX Runtime.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchSizeBuckets.Select(bound => (long)bound).ToArray() });
        this.activeRequests = this.Meter.CreateUpDownCounter<long>(
            "monitor.inference.active_requests", "{request}", "Inference requests being served now.");
        this.rejectedRequests = this.Meter.CreateCounter<long>(
            "monitor.inference.rejected_requests", "{request}", "Requests refused before compute, by reason.");
        this.loadDuration = this.Meter.CreateHistogram(
            "monitor.model.load.duration", "s", "Time to create an ONNX Runtime session and warm it up.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        this.loadFailures = this.Meter.CreateCounter<long>(
            "monitor.model.load.failures", "{failure}", "Failed loads of a model version.");
    }

    /// <summary>Gets the meter that every Monitor instrument belongs to.</summary>
    public Meter Meter { get; }

    public void RecordRequest(string model, string version, string outcome, double seconds)
    {
        TagList tags = new() { { "model", model }, { "version", version }, { "outcome", outcome } };
        this.requests.Add(1, tags);
        this.requestDuration.Record(seconds, tags);
    }

    public void RecordRows(string model, string version, int count) =>
        this.rows.Add(count, new TagList { { "model", model }, { "version", version } });

    public void RecordBatch(string model, string version, string provider, int rowCount, double computeSeconds)
    {
        this.batchSize.Record(rowCount, new TagList { { "model", model }, { "version", version } });
        this.computeDuration.Record(computeSeconds, new TagList { { "model", model }, { "version", version }, { "provider", provider } });
    }

    public void RecordQueueDuration(string model, string version, double seconds) =>
        this.queueDuration.Record(seconds, new TagList { { "model", model }, { "version", version } });

    public void RecordRejected(string model, string version, string reason) =>
        this.rejectedRequests.Add(1, new TagList { { "model", model }, { "version", version }, { "reason", reason } });

    public void AddActiveRequest(string model, int delta) =>
        this.activeRequests.Add(delta, new KeyValuePair<string, object?>("model", model));

    public void RecordLoad(string model, string version, double seconds) =>
        this.loadDuration.Record(seconds, new TagList { { "model", model }, { "version", version } });

    public void RecordLoadFailure(string model, string version) =>
        this.loadFailures.Add(1, new TagList { { "model", model }, { "version", version } });
}
