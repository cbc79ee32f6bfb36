using Monitor.Quality;
using Monitor.Repository;

namespace Monitor.Inference;

/// <summary>What the response carries about each row beside the raw outputs.</summary>
/// <param name="Classes">The top class of each row for classification models, else null.</param>
/// <param name="PredictionIds">One signed id per row, or null when prediction ids are off.</param>
public sealed record PredictionSummary(ClassPrediction[]? Classes, IReadOnlyList<string>? PredictionIds);

/// <summary>
/// Turns a model's outputs into per-row predictions, records the prediction distribution and
/// signs one prediction id per row.
/// </summary>
public sealed class PredictionPipeline
{
    private readonly QualityMetrics metrics;
    private readonly PredictionIdService ids;
    private readonly TimeProvider timeProvider;

    public PredictionPipeline(
        QualityMetrics metrics,
        PredictionIdService ids,
        TimeProvider timeProvider)
    {
        this.metrics = metrics;
        this.ids = ids;
        this.timeProvider = timeProvider;
    }

    public PredictionSummary Record(LoadedModel model, OutputTensor[] outputs, int rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);

        ModelQuality quality = model.Quality ?? throw new InvalidOperationException($"Model '{model.Name}' version {model.Version} has no quality state.");
        DateTimeOffset now = this.timeProvider.GetUtcNow();
        int version = (int)model.Version;

        if (model.Task == ModelTask.Classification)
        {
            ClassPrediction[] classes = ClassPrediction.FromOutput(outputs[0].Data, rows);
            this.metrics.RecordClassification(quality, classes);
            string[]? classIds = null;
            if (this.ids.Enabled)
            {
                classIds = new string[rows];
                for (int row = 0; row < rows; row++)
                {
                    classIds[row] = this.ids.Codec.Encode(PredictionId.ForClass(model.Name, version, classes[row].ClassIndex, classes[row].Confidence, now));
                }
            }

            return new PredictionSummary(classes, classIds);
        }

        float[] values = outputs[0].Data;
        int perRow = rows == 0 ? 0 : values.Length / rows;
        float[] firstValues = new float[rows];
        for (int row = 0; row < rows; row++)
        {
            firstValues[row] = values[row * perRow];
        }

        this.metrics.RecordRegression(model, firstValues);
        string[]? valueIds = null;
        if (this.ids.Enabled)
        {
            valueIds = new string[rows];
            for (int row = 0; row < rows; row++)
            {
                valueIds[row] = this.ids.Codec.Encode(PredictionId.ForValue(model.Name, version, firstValues[row], now));
            }
        }

        return new PredictionSummary(null, valueIds);
    }
}
