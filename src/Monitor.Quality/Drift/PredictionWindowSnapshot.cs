namespace Monitor.Quality;

/// <summary>
/// Counts of the predictions in a <see cref="PredictionWindow"/> at one moment.
/// </summary>
/// <param name="ClassCounts">Number of predictions of each class.</param>
/// <param name="ConfidenceCounts">Number of predictions in each confidence bucket (not cumulative).</param>
/// <param name="ConfidenceBounds">Upper bounds of the confidence buckets.</param>
/// <param name="MeanConfidence">Mean top-1 confidence, or NaN when the window is empty.</param>
/// <param name="Count">Number of predictions in the window.</param>
public sealed record PredictionWindowSnapshot(
    int[] ClassCounts,
    int[] ConfidenceCounts,
    double[] ConfidenceBounds,
    double MeanConfidence,
    int Count);
