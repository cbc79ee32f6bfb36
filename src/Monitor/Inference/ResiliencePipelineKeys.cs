namespace Monitor.Inference;

/// <summary>Keys of the Polly resilience pipelines registered with the host.</summary>
public static class ResiliencePipelineKeys
{
    /// <summary>The timeout on one inference request, from arrival to outputs.</summary>
    public const string InferenceTimeout = "monitor-inference-timeout";

    /// <summary>Retries with exponential backoff for model files that cannot be read yet.</summary>
    public const string ModelLoad = "monitor-model-load";

    /// <summary>Returns the key of the circuit breaker of one loaded model version.</summary>
    public static string CircuitBreaker(string model, long version, long loadId) =>
        FormattableString.Invariant($"monitor-circuit/{model}/{version}/{loadId}");
}
