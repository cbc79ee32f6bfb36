namespace Monitor.Quality;

/// <summary>
/// Accumulates mean squared error and mean absolute error over labelled regression outputs. Not thread-safe.
/// </summary>
public sealed class RegressionEvaluator
{
    private double _squaredErrorSum;

    private double _absoluteErrorSum;

    /// <summary>Gets the number of rows added.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the mean squared error, or NaN when no row was added.</summary>
    public double MeanSquaredError => this.Count == 0 ? double.NaN : _squaredErrorSum / this.Count;

    /// <summary>Gets the mean absolute error, or NaN when no row was added.</summary>
    public double MeanAbsoluteError => this.Count == 0 ? double.NaN : _absoluteErrorSum / this.Count;

    /// <summary>Adds one labelled row. Errors are computed in double precision.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is NaN or infinite.</exception>
    public void Add(float actual, float predicted)
    {
        if (!float.IsFinite(actual))
        {
            throw new ArgumentOutOfRangeException(nameof(actual), actual, "The true value must be finite.");
        }

        if (!float.IsFinite(predicted))
        {
            throw new ArgumentOutOfRangeException(nameof(predicted), predicted, "The predicted value must be finite.");
        }

        double error = (double)predicted - actual;
        _squaredErrorSum += error * error;
        _absoluteErrorSum += Math.Abs(error);
        this.Count++;
    }
}
