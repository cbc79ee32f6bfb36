using System.Collections.Immutable;

namespace Monitor.Quality;

/// <summary>
/// Upper bounds of the top-1 confidence buckets, shared by reference profiles, the prediction window
/// and the daemon's confidence histogram.
/// </summary>
public static class ConfidenceBuckets
{
    /// <summary>
    /// Default upper bounds: 0.05 to 1.0 in steps of 0.05. A confidence belongs to the first bucket
    /// whose bound is at or above it, as with the Prometheus <c>le</c> label.
    /// </summary>
    public static readonly ImmutableArray<double> Bounds =
    [
        0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50,
        0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00,
    ];

    /// <summary>
    /// Finds the bucket of a confidence: the index of the first bound at or above it. Values above the
    /// last bound go to the last bucket, so rounding above 1.0 is not lost.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The confidence is NaN.</exception>
    public static int IndexOf(ReadOnlySpan<double> bounds, double confidence)
    {
        if (double.IsNaN(confidence))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must be a number, not NaN.");
        }

        int low = 0;
        int high = bounds.Length - 1;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (bounds[middle] >= confidence)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>Checks that bounds are finite, strictly increasing and not empty.</summary>
    /// <exception cref="ArgumentException">The bounds break one of those rules. The message names the first invalid value.</exception>
    public static void Validate(ReadOnlySpan<double> bounds, string parameterName)
    {
        string? problem = FindProblem(bounds);
        if (problem is not null)
        {
            throw new ArgumentException(problem, parameterName);
        }
    }

    internal static string? FindProblem(ReadOnlySpan<double> bounds)
    {
        if (bounds.IsEmpty)
        {
            return "The confidence bucket bounds are empty; expected at least one upper bound.";
        }

        for (int i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]))
            {
                return $"The confidence bucket bound at index {i} is {bounds[i]}; expected a finite number.";
            }

            if (i > 0 && bounds[i] <= bounds[i - 1])
            {
                return $"The confidence bucket bounds must increase strictly, but {bounds[i]} at index {i} follows {bounds[i - 1]}.";
            }
        }

        return null;
    }
}
