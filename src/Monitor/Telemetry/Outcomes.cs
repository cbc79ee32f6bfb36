namespace Monitor.Telemetry;

/// <summary>Values of the <c>outcome</c> label of <c>monitor_inference_requests_total</c>.</summary>
public static class Outcomes
{
    public const string Success = "success";
    public const string BadRequest = "bad_request";
    public const string NotFound = "not_found";
    public const string Rejected = "rejected";
    public const string Timeout = "timeout";
    public const string Unavailable = "unavailable";
    public const string Error = "error";
    public const string Cancelled = "cancelled";
}

/// <summary>Values of the <c>reason</c> label of <c>monitor_inference_rejected_requests_total</c>.</summary>
public static class RejectionReasons
{
    public const string QueueFull = "queue_full";
    public const string DeadlineExceeded = "deadline_exceeded";
    public const string CircuitOpen = "circuit_open";
    public const string Cancelled = "cancelled";
}
