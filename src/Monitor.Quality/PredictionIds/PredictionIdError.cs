namespace Monitor.Quality;

/// <summary>
/// Reason a prediction id token was rejected.
/// </summary>
public enum PredictionIdError
{
    /// <summary>The token is empty, too long, not in the <c>v1.payload.signature</c> form, or not valid base64url.</summary>
    Malformed,

    /// <summary>The signature does not match the payload, so the token was altered or signed with another key.</summary>
    InvalidSignature,

    /// <summary>The signature is valid but the prediction is older than the codec's maximum age.</summary>
    Expired,
}
