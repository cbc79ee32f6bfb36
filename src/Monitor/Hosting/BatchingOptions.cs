using System.ComponentModel.DataAnnotations;

namespace Monitor.Hosting;

/// <summary>
/// Dynamic batching settings: a batch closes at <see cref="MaxBatchSize"/> rows or after
/// <see cref="MaxQueueDelayMilliseconds"/>, whichever comes first.
/// </summary>
public sealed class BatchingOptions
{
    /// <summary>Gets or sets whether requests of one model version are batched together. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the most rows in one batch. Default: 64.</summary>
    [Range(1, 65_536)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>Gets or sets how long the first request of a batch waits for others, in milliseconds. Default: 2.</summary>
    [Range(0, 10_000)]
    public double MaxQueueDelayMilliseconds { get; set; } = 2;

    /// <summary>
    /// Gets or sets how many batches of one model version may run in ONNX Runtime at once. Default: 2,
    /// so that a new batch forms and starts while the previous one still runs.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrentBatches { get; set; } = 2;

    /// <summary>Gets or sets the most requests waiting per model version; more are rejected with 429. Default: 1024.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 1024;
}
