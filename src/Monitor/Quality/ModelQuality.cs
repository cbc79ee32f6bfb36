using Microsoft.Extensions.Logging;
using Monitor.Inference;
using Monitor.Repository;
using Monitor.Telemetry;

namespace Monitor.Quality;

/// <summary>
/// The quality state of one loaded model version: bounded class labels, the live prediction
/// window, and the reference profile that drift is measured against.
/// </summary>
public sealed class ModelQuality
{
    public const string OtherClassLabel = "other";

    public const string ReferenceFileName = "reference.json";

    private ModelQuality(LoadedModel model, int windowSize, int maxClassLabels, ReferenceProfile? reference)
    {
        this.Model = model;
        this.Reference = reference;
        this.ClassLabels = model.ClassNames
            .Select((name, index) => index < maxClassLabels ? name : OtherClassLabel)
            .ToArray();
        this.Window = model.ClassCount > 0
            ? new PredictionWindow(model.ClassCount, reference?.ConfidenceBucketBounds ?? ConfidenceBuckets.Bounds.ToArray(), windowSize)
            : null;
        this.Estimator = new ConfidenceAccuracyEstimator(reference?.Accuracy is null ? null : reference);
    }

    public LoadedModel Model { get; }

    /// <summary>Gets the label value of each class: its name, or <c>other</c> past the configured cap.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    /// <summary>Gets the live window of predictions; null for regression models.</summary>
    public PredictionWindow? Window { get; }

    public ReferenceProfile? Reference { get; }

    public ConfidenceAccuracyEstimator Estimator { get; }

    /// <summary>Creates the quality state, reading the reference profile beside the model when there is one.</summary>
    public static ModelQuality Create(LoadedModel model, QualityOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);

        return new ModelQuality(model, options.WindowSize, options.MaxClassLabels, LoadReference(model, logger));
    }

    /// <summary>Returns the label value of a class index: <c>other</c> for indexes out of range or past the cap.</summary>
    public string LabelOf(int classIndex) =>
        classIndex >= 0 && classIndex < this.ClassLabels.Count ? this.ClassLabels[classIndex] : OtherClassLabel;

    /// <summary>Compares the live window with the reference; null without a reference or before any prediction.</summary>
    public DriftReport? CompareWithReference()
    {
        if (this.Reference is null || this.Window is null)
        {
            return null;
        }

        PredictionWindowSnapshot snapshot = this.Window.Snapshot();
        return snapshot.Count == 0 ? null : DriftReport.Compare(this.Reference, snapshot);
    }

    private static ReferenceProfile? LoadReference(LoadedModel model, ILogger logger)
    {
        string modelDirectory = Path.GetDirectoryName(Path.GetDirectoryName(model.ModelPath)!)!;
        string fileName = model.Settings.ReferenceProfile ?? ReferenceFileName;
        if (Path.IsPathRooted(fileName) || fileName.Contains("..", StringComparison.Ordinal))
        {
            logger.ReferenceProfileRejected(model.Name, model.Version, $"referenceProfile '{fileName}' must be a file name inside the model folder.");
            return null;
        }

        string path = Path.Combine(modelDirectory, fileName);
        if (!File.Exists(path))
        {
            if (model.Settings.ReferenceProfile is not null)
            {
                logger.ReferenceProfileRejected(model.Name, model.Version, $"'{path}' does not exist.");
            }

            return null;
        }

        try
        {
            ReferenceProfile reference = ReferenceProfile.Load(path);
            if (model.Task != ModelTask.Classification || reference.ClassShares.Length != model.ClassCount)
            {
                logger.ReferenceProfileRejected(
                    model.Name, model.Version,
                    $"'{path}' has {reference.ClassShares.Length} classes but the model has {model.ClassCount}; write it again with 'monitor evaluate --write-profile'.");
                return null;
            }

            logger.ReferenceProfileLoaded(model.Name, model.Version, path, reference.Rows);
            return reference;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or System.Text.Json.JsonException or ArgumentException)
        {
            logger.ReferenceProfileRejected(model.Name, model.Version, exception.Message);
            return null;
        }
    }
}
