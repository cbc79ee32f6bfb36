namespace Monitor.Cli;

/// <summary>What <c>monitor evaluate</c> measured. Metrics that are undefined (no rows of a class) are null.</summary>
/// <param name="Loss">Mean categorical cross-entropy in nats for classification, as Keras <c>evaluate</c> reports it; mean squared error for regression.</param>
/// <param name="ConfusionMatrix">Counts indexed [true class][predicted class]; empty for regression.</param>
internal sealed record EvaluationResult(
    string Model,
    string ModelPath,
    string Dataset,
    string Task,
    int Rows,
    double Seconds,
    double RowsPerSecond,
    double? Accuracy,
    long Correct,
    double Loss,
    string LossName,
    double? MeanAbsoluteError,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<ClassMetrics> Classes,
    IReadOnlyList<long[]> ConfusionMatrix,
    string? ProfilePath);

/// <summary>Precision and recall of one class, and the number of rows whose true class it is.</summary>
internal sealed record ClassMetrics(string Name, double? Precision, double? Recall, long Rows);
