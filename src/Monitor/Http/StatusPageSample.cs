namespace Monitor.Http;

/// <summary>One model's traffic during one sampling interval of the status page.</summary>
/// <param name="Time">End of the interval.</param>
/// <param name="Requests">Inference requests that finished in the interval.</param>
/// <param name="Errors">Requests among them whose outcome was not <c>success</c>.</param>
/// <param name="LatencyP50">Median request duration in seconds, or null without requests.</param>
/// <param name="LatencyP90">90th percentile of request duration in seconds, or null without requests.</param>
/// <param name="LatencyP99">99th percentile of request duration in seconds, or null without requests.</param>
/// <param name="FeedbackCorrect">Scored feedback whose prediction was correct.</param>
/// <param name="FeedbackIncorrect">Scored feedback whose prediction was wrong.</param>
/// <param name="Predictions">Predicted rows by class label.</param>
internal sealed record StatusPageSample(
    DateTimeOffset Time,
    long Requests,
    long Errors,
    double? LatencyP50,
    double? LatencyP90,
    double? LatencyP99,
    long FeedbackCorrect,
    long FeedbackIncorrect,
    IReadOnlyDictionary<string, long> Predictions);
