using System.Diagnostics.CodeAnalysis;

namespace Monitor.Quality;

/// <summary>
/// Outcome of <see cref="PredictionIdCodec.Decode"/>: the prediction id, or the reason the token was rejected.
/// </summary>
public sealed class PredictionIdDecodeResult
{
    private PredictionIdDecodeResult(PredictionId? id, PredictionIdError? error, string? message)
    {
        this.Id = id;
        this.Error = error;
        this.Message = message;
    }

    /// <summary>
    /// Gets the decoded prediction id. It is set on success and also for <see cref="PredictionIdError.Expired"/>,
    /// because an expired token has a valid signature and its model name can be trusted.
    /// </summary>
    public PredictionId? Id { get; }

    /// <summary>Gets the reason the token was rejected, or null on success.</summary>
    public PredictionIdError? Error { get; }

    /// <summary>Gets a sentence that names the problem, or null on success.</summary>
    public string? Message { get; }

    /// <summary>Gets a value indicating whether the token was accepted.</summary>
    [MemberNotNullWhen(true, nameof(Id))]
    public bool Success => this.Error is null && this.Id is not null;

    internal static PredictionIdDecodeResult Accepted(PredictionId id)
    {
        return new PredictionIdDecodeResult(id, null, null);
    }

    internal static PredictionIdDecodeResult Rejected(PredictionIdError error, string message, PredictionId? id = null)
    {
        return new PredictionIdDecodeResult(id, error, message);
    }
}
