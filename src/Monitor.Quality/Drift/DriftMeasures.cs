namespace Monitor.Quality;

/// <summary>
/// Distances between two discrete distributions, such as class shares or confidence buckets.
/// </summary>
/// <remarks>
/// Both inputs may be counts or shares: each is divided by its own sum first. They must have the same
/// length, contain only finite non-negative values and have a positive sum.
/// </remarks>
public static class DriftMeasures
{
    /// <summary>
    /// Share that replaces a zero share in <see cref="PopulationStabilityIndex"/>, so that an empty bin
    /// gives a large but finite term. The other shares are not rescaled.
    /// </summary>
    public const double ZeroShareReplacement = 1e-4;

    /// <summary>
    /// Computes the population stability index, the sum over bins of (actual − expected) × ln(actual / expected).
    /// </summary>
    /// <remarks>
    /// The index is 0 for identical distributions and symmetric in its arguments. See
    /// <see cref="DriftThresholds"/> for the usual reading of its values.
    /// </remarks>
    /// <exception cref="ArgumentException">The inputs differ in length, are empty, or contain a negative or non-finite value, or sum to 0.</exception>
    public static double PopulationStabilityIndex(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        (double expectedSum, double actualSum) = CheckDistributions(expected, actual);

        double index = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double expectedShare = ReplaceZero(expected[i] / expectedSum);
            double actualShare = ReplaceZero(actual[i] / actualSum);
            index += (actualShare - expectedShare) * Math.Log(actualShare / expectedShare);
        }

        return index;
    }

    /// <summary>
    /// Computes the Jensen-Shannon distance: the square root of the Jensen-Shannon divergence with base-2
    /// logarithms, so the result lies from 0 (identical) to 1 (no common support).
    /// </summary>
    /// <remarks>Zero shares need no replacement, because a term with a zero share contributes 0.</remarks>
    /// <exception cref="ArgumentException">The inputs differ in length, are empty, or contain a negative or non-finite value, or sum to 0.</exception>
    public static double JensenShannonDistance(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        (double expectedSum, double actualSum) = CheckDistributions(expected, actual);

        double divergence = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double p = expected[i] / expectedSum;
            double q = actual[i] / actualSum;
            double m = (p + q) / 2;
            divergence += (KullbackLeiblerTerm(p, m) + KullbackLeiblerTerm(q, m)) / 2;
        }

        // Rounding can push the sum a hair outside [0, 1].
        return Math.Sqrt(Math.Clamp(divergence, 0.0, 1.0));
    }

    private static double KullbackLeiblerTerm(double share, double mixtureShare)
    {
        return share > 0 ? share * Math.Log2(share / mixtureShare) : 0;
    }

    private static double ReplaceZero(double share)
    {
        return share > 0 ? share : ZeroShareReplacement;
    }

    private static (double ExpectedSum, double ActualSum) CheckDistributions(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException(
                $"The distributions differ in length: expected has {expected.Length} bins, actual has {actual.Length}.",
                nameof(actual));
        }

        if (expected.IsEmpty)
        {
            throw new ArgumentException("The distributions are empty; expected at least one bin.", nameof(expected));
        }

        return (Sum(expected, nameof(expected)), Sum(actual, nameof(actual)));
    }

    private static double Sum(ReadOnlySpan<double> values, string name)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]) || values[i] < 0)
            {
                throw new ArgumentException($"{name}[{i}] is {values[i]}; expected a finite, non-negative count or share.", name);
            }

            sum += values[i];
        }

        if (sum <= 0)
        {
            throw new ArgumentException($"{name} sums to 0; expected at least one positive count or share.", name);
        }

        return sum;
    }
}
