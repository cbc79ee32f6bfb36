namespace Monitor.Quality;

/// <summary>
/// Rows of features with optional class labels or regression targets, held in memory.
/// </summary>
public sealed class LabelledDataset
{
    /// <summary>Initializes a new instance of the <see cref="LabelledDataset"/> class and checks that the lengths agree.</summary>
    /// <param name="name">Dataset name, for messages and metric labels.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="rowShape">Shape of one row, for example [28, 28] or [4].</param>
    /// <param name="features">Features of all rows in row-major order.</param>
    /// <param name="classLabels">Class index of each row, or null.</param>
    /// <param name="targetValues">Regression target of each row, or null.</param>
    /// <param name="classNames">Class names indexed by class, or null when the file names none.</param>
    /// <exception cref="ArgumentException">The lengths disagree, or both labels and targets are given.</exception>
    public LabelledDataset(
        string name,
        int rows,
        int[] rowShape,
        float[] features,
        int[]? classLabels = null,
        float[]? targetValues = null,
        string[]? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentNullException.ThrowIfNull(rowShape);
        ArgumentNullException.ThrowIfNull(features);

        long featuresPerRow = 1;
        foreach (int dimension in rowShape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension, nameof(rowShape));
            featuresPerRow *= dimension;
        }

        if (featuresPerRow * rows != features.LongLength)
        {
            throw new ArgumentException(
                $"Dataset '{name}' has {features.LongLength} feature values; expected {rows} rows × {featuresPerRow} = {featuresPerRow * rows}.",
                nameof(features));
        }

        if (classLabels is not null && targetValues is not null)
        {
            throw new ArgumentException($"Dataset '{name}' has both class labels and regression targets; expected at most one.", nameof(targetValues));
        }

        CheckLength(name, classLabels?.Length, rows, nameof(classLabels));
        CheckLength(name, targetValues?.Length, rows, nameof(targetValues));

        this.Name = name;
        this.Rows = rows;
        this.RowShape = rowShape;
        this.Features = features;
        this.FeaturesPerRow = (int)featuresPerRow;
        this.ClassLabels = classLabels;
        this.TargetValues = targetValues;
        this.ClassNames = classNames;
    }

    /// <summary>Gets the dataset name.</summary>
    public string Name { get; }

    /// <summary>Gets the number of rows.</summary>
    public int Rows { get; }

    /// <summary>Gets the shape of one row.</summary>
    public int[] RowShape { get; }

    /// <summary>Gets the number of feature values in one row, the product of <see cref="RowShape"/>.</summary>
    public int FeaturesPerRow { get; }

    /// <summary>Gets the features of all rows in row-major order.</summary>
    public float[] Features { get; }

    /// <summary>Gets the class index of each row, or null when the dataset has no class labels.</summary>
    public int[]? ClassLabels { get; }

    /// <summary>Gets the regression target of each row, or null when the dataset has no targets.</summary>
    public float[]? TargetValues { get; }

    /// <summary>Gets the class names indexed by class, or null when the file names none.</summary>
    public string[]? ClassNames { get; }

    /// <summary>Gets the features of one row.</summary>
    public ReadOnlySpan<float> GetRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, this.Rows);

        return this.Features.AsSpan(row * this.FeaturesPerRow, this.FeaturesPerRow);
    }

    private static void CheckLength(string name, int? length, int rows, string parameterName)
    {
        if (length is int actual && actual != rows)
        {
            throw new ArgumentException($"Dataset '{name}' has {rows} rows but {actual} values in {parameterName}.", parameterName);
        }
    }
}
