namespace Monitor.Quality;

/// <summary>
/// Sliding window over the last predictions of a classifier, keeping class and confidence bucket counts
/// for drift measures. Thread-safe: <see cref="Add"/> takes a short lock and allocates nothing.
/// </summary>
public sealed class PredictionWindow
{
    private readonly double[] _bounds;

    private readonly Entry[] _entries;

    private readonly int[] _classCounts;

    private readonly int[] _confidenceCounts;

    private readonly Lock _lock = new();

    private int _next;

    private int _count;

    private double _confidenceSum;

    /// <summary>Initializes a new instance of the <see cref="PredictionWindow"/> class.</summary>
    /// <param name="classCount">Number of classes, at least 1.</param>
    /// <param name="confidenceBounds">Upper bounds of the confidence buckets, strictly increasing.</param>
    /// <param name="capacity">Number of most recent predictions kept, at least 1.</param>
    public PredictionWindow(int classCount, IReadOnlyList<double> confidenceBounds, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentNullException.ThrowIfNull(confidenceBounds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);

        _bounds = [.. confidenceBounds];
        ConfidenceBuckets.Validate(_bounds, nameof(confidenceBounds));

        _entries = new Entry[capacity];
        _classCounts = new int[classCount];
        _confidenceCounts = new int[_bounds.Length];
    }

    /// <summary>Gets the number of predictions the window keeps.</summary>
    public int Capacity => _entries.Length;

    /// <summary>Gets the number of classes.</summary>
    public int ClassCount => _classCounts.Length;

    /// <summary>Adds a prediction, replacing the oldest one when the window is full.</summary>
    /// <param name="predictedClass">Index of the top-1 class.</param>
    /// <param name="confidence">Top-1 probability. Values above the last bound count in the last bucket.</param>
    /// <exception cref="ArgumentOutOfRangeException">The class is out of range, or the confidence is NaN.</exception>
    public void Add(int predictedClass, float confidence)
    {
        if ((uint)predictedClass >= (uint)_classCounts.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(predictedClass), predictedClass, $"The predicted class must be from 0 to {_classCounts.Length - 1}.");
        }

        int bucket = ConfidenceBuckets.IndexOf(_bounds, confidence);

        lock (_lock)
        {
            if (_count == _entries.Length)
            {
                Entry evicted = _entries[_next];
                _classCounts[evicted.PredictedClass]--;
                _confidenceCounts[evicted.Bucket]--;
                _confidenceSum -= evicted.Confidence;
            }
            else
            {
                _count++;
            }

            _entries[_next] = new Entry(predictedClass, bucket, confidence);
            _classCounts[predictedClass]++;
            _confidenceCounts[bucket]++;
            _confidenceSum += confidence;

            _next++;
            if (_next == _entries.Length)
            {
                _next = 0;
                this.RecomputeConfidenceSum();
            }
        }
    }

    /// <summary>Copies the current counts and mean confidence.</summary>
    public PredictionWindowSnapshot Snapshot()
    {
        lock (_lock)
        {
            double mean = _count == 0 ? double.NaN : _confidenceSum / _count;
            return new PredictionWindowSnapshot([.. _classCounts], [.. _confidenceCounts], [.. _bounds], mean, _count);
        }
    }

    // Adding and subtracting floats leaves rounding error in the running sum. Summing the buffer again
    // once per pass over it bounds that error at O(capacity) extra work per capacity additions.
    private void RecomputeConfidenceSum()
    {
        double sum = 0;
        for (int i = 0; i < _count; i++)
        {
            sum += _entries[i].Confidence;
        }

        _confidenceSum = sum;
    }

    private readonly record struct Entry(int PredictedClass, int Bucket, float Confidence);
}
