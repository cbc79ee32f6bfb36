using Microsoft.AspNetCore.Http;
using Monitor.Telemetry;

namespace Monitor.Inference;

/// <summary>
/// A request that cannot be served, with the HTTP status and the <c>outcome</c> label it is counted under.
/// The message names the bad value and what was expected.
/// </summary>
public sealed class InferenceRequestException : Exception
{
    public InferenceRequestException(string message)
        : this(StatusCodes.Status400BadRequest, Outcomes.BadRequest, message)
    {
    }

    public InferenceRequestException(int statusCode, string outcome, string message, string? rejectionReason = null, Exception? innerException = null)
        : base(message, innerException)
    {
        this.StatusCode = statusCode;
        this.Outcome = outcome;
        this.RejectionReason = rejectionReason;
    }

    public InferenceRequestException()
        : this("The inference request is invalid.")
    {
    }

    public InferenceRequestException(string message, Exception innerException)
        : this(StatusCodes.Status400BadRequest, Outcomes.BadRequest, message, null, innerException)
    {
    }

    public int StatusCode { get; }

    public string Outcome { get; }

    /// <summary>Gets the <c>reason</c> label when the request was rejected before compute, else null.</summary>
    public string? RejectionReason { get; }

    /// <summary>Gets the seconds a client should wait before retrying, for 429 and 503 answers.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static InferenceRequestException NotFound(string message) =>
        new(StatusCodes.Status404NotFound, Outcomes.NotFound, message);

    public static InferenceRequestException QueueFull(string model, long version, int capacity) =>
        new(StatusCodes.Status429TooManyRequests, Outcomes.Rejected,
            $"Model '{model}' version {version} has {capacity} requests queued, its queue capacity; retry later or raise batching.queueCapacity.",
            RejectionReasons.QueueFull)
        { RetryAfterSeconds = 1 };

    public static InferenceRequestException DeadlineExceeded(string model, long version, TimeSpan timeout) =>
        new(StatusCodes.Status504GatewayTimeout, Outcomes.Timeout,
            $"Model '{model}' version {version} did not start this request within its {timeout.TotalSeconds:0.###} s deadline; the server is overloaded, retry later.",
            RejectionReasons.DeadlineExceeded);
}
