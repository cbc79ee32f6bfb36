using System.ComponentModel.DataAnnotations;

namespace Monitor.Quality;

/// <summary>Model-quality settings: prediction ids, feedback and the live window that drift is measured over.</summary>
public sealed class QualityOptions
{
    /// <summary>Gets or sets whether responses carry signed prediction ids and feedback is accepted. Default: true.</summary>
    public bool PredictionIds { get; set; } = true;

    /// <summary>
    /// Gets or sets the file holding the HMAC key that signs prediction ids (raw bytes or base64 text,
    /// at least 32 bytes). Replicas that share the key score each other's feedback. When unset, a
    /// random key is made at start and ids are valid only for this process.
    /// </summary>
    public string? PredictionIdKeyFile { get; set; }

    /// <summary>Gets or sets how long a prediction id accepts feedback, in hours. Default: 720 (30 days).</summary>
    [Range(0.01, 87_600)]
    public double PredictionIdMaxAgeHours { get; set; } = 720;

    /// <summary>Gets or sets the most items in one feedback request. Default: 1000.</summary>
    [Range(1, 100_000)]
    public int MaxFeedbackItems { get; set; } = 1000;

    /// <summary>Gets or sets how many scored ids each replica remembers to refuse duplicates. Default: 1,000,000.</summary>
    [Range(1, 100_000_000)]
    public int FeedbackDeduplicationCapacity { get; set; } = 1_000_000;

    /// <summary>Gets or sets the predictions in the live window that drift and estimated accuracy use. Default: 1000.</summary>
    [Range(10, 10_000_000)]
    public int WindowSize { get; set; } = 1000;

    /// <summary>
    /// Gets or sets the upper bounds of the <c>monitor_prediction_value</c> histogram buckets for
    /// regression models, ascending. Default: -1000, -100, -10, -1, -0.1, 0, 0.1, 1, 10, 100, 1000.
    /// </summary>
    public IList<double> PredictionValueBuckets { get; set; } = [];

    /// <summary>Gets or sets the most class label values per model; classes past it share the label <c>other</c>. Default: 50.</summary>
    [Range(1, 10_000)]
    public int MaxClassLabels { get; set; } = 50;
}
