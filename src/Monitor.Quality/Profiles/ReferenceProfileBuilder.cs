namespace Monitor.Quality;

/// <summary>
/// Accumulates a classifier's predictions on reference data and builds a <see cref="ReferenceProfile"/>.
/// Not thread-safe.
/// </summary>
public sealed class ReferenceProfileBuilder
{
    private readonly string[] _classNames;

    private readonly double[] _bounds;

    private readonly long[] _classCounts;

    private readonly long[] _confidenceCounts;

    private double _confidenceSum;

    private long _rows;

    private long _labelled;

    private long _correct;

    /// <summary>Initializes a new instance of the <see cref="ReferenceProfileBuilder"/> class.</summary>
    /// <param name="classNames">Class names indexed by class, at least one.</param>
    /// <param name="confidenceBounds">Upper bounds of the confidence buckets, or null for <see cref="ConfidenceBuckets.Bounds"/>.</param>
    public ReferenceProfileBuilder(IReadOnlyList<string> classNames, IReadOnlyList<double>? confidenceBounds = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count == 0)
        {
            throw new ArgumentException("At least one class name is required.", nameof(classNames));
        }

        _classNames = [.. classNames];
        _bounds = confidenceBounds is null ? [.. ConfidenceBuckets.Bounds] : [.. confidenceBounds];
        ConfidenceBuckets.Validate(_bounds, nameof(confidenceBounds));

        _classCounts = new long[_classNames.Length];
        _confidenceCounts = new long[_bounds.Length];
    }

    /// <summary>Gets the number of rows added so far.</summary>
    public long Rows => _rows;

    /// <summary>Adds one prediction.</summary>
    /// <param name="predictedClass">Index of the top-1 class.</param>
    /// <param name="confidence">Top-1 probability, from 0 to 1.</param>
    /// <param name="actualClass">True class when the row is labelled, otherwise null.</param>
    public void Add(int predictedClass, float confidence, int? actualClass)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(predictedClass);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predictedClass, _classNames.Length);
        if (!(confidence is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must be from 0 to 1.");
        }

        if (actualClass is int actual)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(actual, nameof(actualClass));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(actual, _classNames.Length, nameof(actualClass));

            _labelled++;
            if (actual == predictedClass)
            {
                _correct++;
            }
        }

        _classCounts[predictedClass]++;
        _confidenceCounts[ConfidenceBuckets.IndexOf(_bounds, confidence)]++;
        _confidenceSum += confidence;
        _rows++;
    }

    /// <summary>Builds the profile from the rows added so far.</summary>
    /// <exception cref="InvalidOperationException">No row was added, or more than <see cref="int.MaxValue"/> rows were.</exception>
    public ReferenceProfile Build()
    {
        if (_rows == 0)
        {
            throw new InvalidOperationException("The reference profile has no rows; add at least one prediction before building it.");
        }

        if (_rows > int.MaxValue)
        {
            throw new InvalidOperationException($"The reference profile has {_rows} rows; at most {int.MaxValue} are supported.");
        }

        double? accuracy = _labelled == 0 ? null : (double)_correct / _labelled;

        return new ReferenceProfile(
            classNames: [.. _classNames],
            classShares: ToShares(_classCounts, _rows),
            confidenceBucketBounds: [.. _bounds],
            confidenceShares: ToShares(_confidenceCounts, _rows),
            meanConfidence: Math.Min(1.0, _confidenceSum / _rows),
            rows: (int)_rows,
            accuracy: accuracy);
    }

    private static double[] ToShares(long[] counts, long total)
    {
        double[] shares = new double[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            shares[i] = (double)counts[i] / total;
        }

        return shares;
    }
}
