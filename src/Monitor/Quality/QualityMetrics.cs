using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Monitor.Hosting;
using Monitor.Inference;
using Monitor.Repository;
using Monitor.Telemetry;

namespace Monitor.Quality;

/// <summary>
/// The model-quality instruments of the <c>Monitor</c> meter: prediction distribution, scored
/// feedback, the reference profile, and drift and estimated accuracy over the live window.
/// </summary>
public sealed class QualityMetrics
{
    internal static readonly double[] ValueBuckets = [-1000, -100, -10, -1, -0.1, 0, 0.1, 1, 10, 100, 1000];

    internal static readonly double[] ErrorBuckets = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 100, 1000];

    /// <summary>Label delay buckets in seconds: a second to a month.</summary>
    internal static readonly double[] DelayBuckets = [1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400];

    private readonly Counter<long> predictions;
    private readonly Histogram<double> confidence;
    private readonly Histogram<double> predictedValue;
    private readonly Counter<long> feedback;
    private readonly Counter<long> feedbackRejected;
    private readonly Counter<long> confusion;
    private readonly Histogram<double> labelDelay;
    private readonly Histogram<double> absoluteError;
    private readonly Counter<double> squaredError;
    private readonly ModelRegistry registry;

    public QualityMetrics(MonitorMetrics metrics, ModelRegistry registry, IOptions<MonitorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);

        double[] valueBuckets = options.Value.Quality.PredictionValueBuckets is { Count: > 0 } configured ? [.. configured] : ValueBuckets;

        this.registry = registry;
        Meter meter = metrics.Meter;
        this.predictions = meter.CreateCounter<long>("monitor.predictions", "{prediction}", "Predicted top-1 class of every classified row.");
        this.confidence = meter.CreateHistogram(
            "monitor.prediction.confidence", unit: null, "Top-1 probability of every classified row.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ConfidenceBuckets.Bounds.ToArray() });
        this.predictedValue = meter.CreateHistogram(
            "monitor.prediction.value", unit: null, "Predicted value of every regression row.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = valueBuckets });
        this.feedback = meter.CreateCounter<long>("monitor.feedback", "{feedback}", "Scored feedback by outcome.");
        this.feedbackRejected = meter.CreateCounter<long>("monitor.feedback.rejected", "{feedback}", "Feedback items refused, by reason.");
        this.confusion = meter.CreateCounter<long>("monitor.feedback.confusion", "{feedback}", "Scored feedback by true and predicted class.");
        this.labelDelay = meter.CreateHistogram(
            "monitor.feedback.label_delay", "s", "Time from prediction to its feedback.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DelayBuckets });
        this.absoluteError = meter.CreateHistogram(
            "monitor.feedback.absolute_error", unit: null, "Absolute error of scored regression feedback.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ErrorBuckets });
        this.squaredError = meter.CreateCounter<double>("monitor.feedback.squared_error", unit: null, "Sum of squared errors of scored regression feedback.");

        meter.CreateObservableGauge("monitor.reference.class_share", this.ObserveReferenceClassShares, description: "Share of each class in the reference profile.");
        meter.CreateObservableGauge("monitor.reference.confidence_share", this.ObserveReferenceConfidenceShares, description: "Cumulative share of reference rows with top-1 confidence at or below le.");
        meter.CreateObservableGauge("monitor.reference.accuracy", this.ObserveReferenceAccuracy, description: "Accuracy of the reference run.");
        meter.CreateObservableGauge("monitor.drift.psi", this.ObservePopulationStabilityIndex, description: "Population stability index of the live window against the reference.");
        meter.CreateObservableGauge("monitor.drift.js_distance", this.ObserveJensenShannonDistance, description: "Jensen-Shannon distance of the live window against the reference.");
        meter.CreateObservableGauge("monitor.estimated_accuracy", this.ObserveEstimatedAccuracy, description: "Accuracy estimated from top-1 confidence over the live window.");
    }

    public void RecordClassification(ModelQuality quality, ReadOnlySpan<ClassPrediction> rows)
    {
        ArgumentNullException.ThrowIfNull(quality);

        LoadedModel model = quality.Model;
        TagList versionTags = new() { { "model", model.Name }, { "version", model.VersionLabel } };
        int[] counts = new int[quality.ClassLabels.Count];
        foreach (ClassPrediction row in rows)
        {
            counts[row.ClassIndex]++;
            this.confidence.Record(row.Confidence, versionTags);
            quality.Window?.Add(row.ClassIndex, row.Confidence);
        }

        // one counter update per predicted class, not per row
        for (int classIndex = 0; classIndex < counts.Length; classIndex++)
        {
            if (counts[classIndex] > 0)
            {
                this.predictions.Add(counts[classIndex], new TagList { { "model", model.Name }, { "version", model.VersionLabel }, { "class", quality.LabelOf(classIndex) } });
            }
        }
    }

    public void RecordRegression(LoadedModel model, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(model);

        TagList tags = new() { { "model", model.Name }, { "version", model.VersionLabel } };
        foreach (float value in values)
        {
            this.predictedValue.Record(value, tags);
        }
    }

    public void RecordClassFeedback(string model, string version, string actual, string predicted, bool correct, TimeSpan delay)
    {
        TagList tags = new() { { "model", model }, { "version", version } };
        this.feedback.Add(1, new TagList { { "model", model }, { "version", version }, { "outcome", correct ? "correct" : "incorrect" } });
        this.confusion.Add(1, new TagList { { "model", model }, { "version", version }, { "actual", actual }, { "predicted", predicted } });
        this.labelDelay.Record(Math.Max(delay.TotalSeconds, 0), tags);
    }

    public void RecordRegressionFeedback(string model, string version, double error, TimeSpan delay)
    {
        TagList tags = new() { { "model", model }, { "version", version } };
        this.feedback.Add(1, new TagList { { "model", model }, { "version", version }, { "outcome", "scored" } });
        this.absoluteError.Record(Math.Abs(error), tags);
        this.squaredError.Add(error * error, tags);
        this.labelDelay.Record(Math.Max(delay.TotalSeconds, 0), tags);
    }

    public void RecordFeedbackRejected(string model, string reason) =>
        this.feedbackRejected.Add(1, new TagList { { "model", model }, { "reason", reason } });

    private IEnumerable<ModelQuality> Qualities() =>
        this.registry.Models
            .SelectMany(model => model.ReadyVersions)
            .Select(model => model.Quality)
            .OfType<ModelQuality>();

    private IEnumerable<Measurement<double>> ObserveReferenceClassShares()
    {
        foreach (ModelQuality quality in this.Qualities())
        {
            if (quality.Reference is { } reference)
            {
                for (int i = 0; i < reference.ClassShares.Length; i++)
                {
                    yield return new Measurement<double>(reference.ClassShares[i], Tags(quality, ("class", quality.LabelOf(i))));
                }
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveReferenceConfidenceShares()
    {
        foreach (ModelQuality quality in this.Qualities())
        {
            if (quality.Reference is { } reference)
            {
                double[] cumulative = reference.GetCumulativeConfidenceShares();
                for (int i = 0; i < cumulative.Length; i++)
                {
                    string bound = reference.ConfidenceBucketBounds[i].ToString("0.###", CultureInfo.InvariantCulture);
                    yield return new Measurement<double>(cumulative[i], Tags(quality, ("le", bound)));
                }
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveReferenceAccuracy()
    {
        foreach (ModelQuality quality in this.Qualities())
        {
            if (quality.Reference?.Accuracy is { } accuracy)
            {
                yield return new Measurement<double>(accuracy, Tags(quality));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObservePopulationStabilityIndex()
    {
        foreach (ModelQuality quality in this.Qualities())
        {
            if (quality.CompareWithReference() is { } drift)
            {
                yield return new Measurement<double>(drift.ClassPopulationStabilityIndex, Tags(quality, ("feature", "predicted_class")));
                yield return new Measurement<double>(drift.ConfidencePopulationStabilityIndex, Tags(quality, ("feature", "confidence")));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveJensenShannonDistance()
    {
        foreach (ModelQuality quality in this.Qualities())
        {
            if (quality.CompareWithReference() is { } drift)
            {
                yield return new Measurement<double>(drift.ClassJensenShannonDistance, Tags(quality, ("feature", "predicted_class")));
                yield return new Measurement<double>(drift.ConfidenceJensenShannonDistance, Tags(quality, ("feature", "confidence")));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveEstimatedAccuracy()
    {
        foreach (ModelQuality quality in this.Qualities())
        {
            if (quality.Window?.Snapshot() is { Count: > 0 } snapshot)
            {
                yield return new Measurement<double>(quality.Estimator.Estimate(snapshot), Tags(quality));
            }
        }
    }

    private static KeyValuePair<string, object?>[] Tags(ModelQuality quality, params (string Key, string Value)[] extra)
    {
        KeyValuePair<string, object?>[] tags = new KeyValuePair<string, object?>[2 + extra.Length];
        tags[0] = new("model", quality.Model.Name);
        tags[1] = new("version", quality.Model.VersionLabel);
        for (int i = 0; i < extra.Length; i++)
        {
            tags[2 + i] = new(extra[i].Key, extra[i].Value);
        }

        return tags;
    }
}
