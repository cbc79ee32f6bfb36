using Monitor.Repository;

namespace Monitor.Inference;

/// <summary>What the response carries about each row beside the raw outputs.</summary>
/// <param name="Classes">The top class of each row for classification models, else null.</param>
/// <param name="PredictionIds">One signed id per row, or null when prediction ids are off.</param>
public sealed record PredictionSummary(ClassPrediction[]? Classes, IReadOnlyList<string>? PredictionIds);

/// <summary>Turns a model's outputs into per-row predictions and records them.</summary>
public sealed class PredictionPipeline
{
    public PredictionSummary Record(LoadedModel model, OutputTensor[] outputs, int rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);

        ClassPrediction[]? classes = model.Task == ModelTask.Classification
            ? ClassPrediction.FromOutput(outputs[0].Data, rows)
            : null;
        return new PredictionSummary(classes, null);
    }
}
