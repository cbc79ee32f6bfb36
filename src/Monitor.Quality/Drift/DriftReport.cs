namespace Monitor.Quality;

/// <summary>
/// Drift of a window of live predictions against a reference profile.
/// </summary>
/// <param name="ClassPopulationStabilityIndex">Population stability index of the predicted class shares.</param>
/// <param name="ClassJensenShannonDistance">Jensen-Shannon distance (base 2) of the predicted class shares.</param>
/// <param name="ConfidencePopulationStabilityIndex">Population stability index of the confidence bucket shares.</param>
/// <param name="ConfidenceJensenShannonDistance">Jensen-Shannon distance (base 2) of the confidence bucket shares.</param>
/// <param name="WindowCount">Number of live predictions compared. All measures are NaN when it is 0.</param>
public sealed record DriftReport(
    double ClassPopulationStabilityIndex,
    double ClassJensenShannonDistance,
    double ConfidencePopulationStabilityIndex,
    double ConfidenceJensenShannonDistance,
    int WindowCount)
{
    /// <summary>Gets a value indicating whether any measure reaches its alert threshold in <see cref="DriftThresholds"/>.</summary>
    public bool ExceedsAlertThresholds =>
        this.ClassPopulationStabilityIndex >= DriftThresholds.PopulationStabilityIndexAlert ||
        this.ConfidencePopulationStabilityIndex >= DriftThresholds.PopulationStabilityIndexAlert ||
        this.ClassJensenShannonDistance >= DriftThresholds.JensenShannonDistanceAlert ||
        this.ConfidenceJensenShannonDistance >= DriftThresholds.JensenShannonDistanceAlert;

    /// <summary>Compares the predictions in a window with a reference profile.</summary>
    /// <returns>The four measures, or NaN for each when the window is empty.</returns>
    /// <exception cref="ArgumentException">The window has another number of classes or other confidence bounds than the profile.</exception>
    public static DriftReport Compare(ReferenceProfile reference, PredictionWindowSnapshot window)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);

        if (window.ClassCounts.Length != reference.ClassShares.Length)
        {
            throw new ArgumentException(
                $"The window counts {window.ClassCounts.Length} classes but the reference profile has {reference.ClassShares.Length}.",
                nameof(window));
        }

        if (!window.ConfidenceBounds.AsSpan().SequenceEqual(reference.ConfidenceBucketBounds))
        {
            throw new ArgumentException(
                $"The window's confidence bounds [{string.Join(", ", window.ConfidenceBounds)}] differ from the reference " +
                $"profile's [{string.Join(", ", reference.ConfidenceBucketBounds)}].",
                nameof(window));
        }

        if (window.Count == 0)
        {
            return new DriftReport(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        double[] classCounts = ToDoubles(window.ClassCounts);
        double[] confidenceCounts = ToDoubles(window.ConfidenceCounts);

        return new DriftReport(
            DriftMeasures.PopulationStabilityIndex(reference.ClassShares, classCounts),
            DriftMeasures.JensenShannonDistance(reference.ClassShares, classCounts),
            DriftMeasures.PopulationStabilityIndex(reference.ConfidenceShares, confidenceCounts),
            DriftMeasures.JensenShannonDistance(reference.ConfidenceShares, confidenceCounts),
            window.Count);
    }

    private static double[] ToDoubles(int[] counts)
    {
        double[] values = new double[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            values[i] = counts[i];
        }

        return values;
    }
}
