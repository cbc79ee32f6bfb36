namespace Monitor.Quality;

/// <summary>Values of the <c>reason</c> label of <c>monitor_feedback_rejected_total</c>.</summary>
public static class FeedbackRejection
{
    public const string Malformed = "malformed_id";
    public const string InvalidSignature = "invalid_signature";
    public const string Expired = "expired";
    public const string WrongModel = "wrong_model";
    public const string InvalidLabel = "invalid_label";
    public const string Duplicate = "duplicate";
}
