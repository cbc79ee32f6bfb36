namespace Monitor.Quality;

/// <summary>
/// Accumulates accuracy, a confusion matrix, per-class precision and recall, and categorical cross-entropy
/// over labelled classifier outputs. Not thread-safe.
/// </summary>
public sealed class ClassificationEvaluator
{
    /// <summary>
    /// Lower clip bound for probabilities in <see cref="CrossEntropy"/>, the Keras default epsilon. The upper
    /// bound is 1 minus it.
    /// </summary>
    public const double ProbabilityEpsilon = 1e-7;

    private readonly long[,] _confusion;

    private double _lossSum;

    /// <summary>Initializes a new instance of the <see cref="ClassificationEvaluator"/> class.</summary>
    /// <param name="classCount">Number of classes, which is also the expected length of each probability row.</param>
    public ClassificationEvaluator(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);

        this.ClassCount = classCount;
        _confusion = new long[classCount, classCount];
    }

    /// <summary>Gets the number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Gets the number of rows added.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the number of rows whose top-1 class equals the true class.</summary>
    public long Correct { get; private set; }

    /// <summary>Gets the share of correct rows, or NaN when no row was added.</summary>
    public double Accuracy => this.Count == 0 ? double.NaN : (double)this.Correct / this.Count;

    /// <summary>
    /// Gets the mean categorical cross-entropy in nats, or NaN when no row was added.
    /// </summary>
    /// <remarks>
    /// Computed as <c>tf.keras.backend.categorical_crossentropy</c> does for probabilities (TensorFlow 2.x):
    /// each row is divided by its sum, clipped to [1e-7, 1 − 1e-7], and the loss of the row is −ln p[actual].
    /// Keras <c>evaluate</c> reports the mean over all rows when every sample weight is 1.
    /// </remarks>
    public double CrossEntropy => this.Count == 0 ? double.NaN : _lossSum / this.Count;

    /// <summary>Adds one labelled row.</summary>
    /// <param name="actual">True class index.</param>
    /// <param name="probabilities">Output probabilities of the row, one per class. The top-1 class is the first maximum.</param>
    /// <exception cref="ArgumentOutOfRangeException">The class is out of range.</exception>
    /// <exception cref="ArgumentException">The row has the wrong length, or its sum is not positive and finite.</exception>
    public void Add(int actual, ReadOnlySpan<float> probabilities)
    {
        if ((uint)actual >= (uint)this.ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(actual), actual, $"The true class must be from 0 to {this.ClassCount - 1}.");
        }

        if (probabilities.Length != this.ClassCount)
        {
            throw new ArgumentException(
                $"The probability row has {probabilities.Length} values; expected {this.ClassCount}, one per class.", nameof(probabilities));
        }

        double sum = 0;
        int predicted = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            sum += probabilities[i];
            if (probabilities[i] > probabilities[predicted])
            {
                predicted = i;
            }
        }

        if (!(sum > 0) || !double.IsFinite(sum))
        {
            throw new ArgumentException($"The probability row sums to {sum}; expected a positive, finite sum.", nameof(probabilities));
        }

        double probability = Math.Clamp(probabilities[actual] / sum, ProbabilityEpsilon, 1 - ProbabilityEpsilon);
        _lossSum -= Math.Log(probability);

        _confusion[actual, predicted]++;
        this.Count++;
        if (predicted == actual)
        {
            this.Correct++;
        }
    }

    /// <summary>Copies the confusion matrix, indexed [actual, predicted].</summary>
    public long[,] GetConfusionMatrix()
    {
        return (long[,])_confusion.Clone();
    }

    /// <summary>
    /// Computes the precision of a class: the share of rows predicted as the class that truly belong to it.
    /// </summary>
    /// <returns>The precision, or NaN when no row was predicted as the class.</returns>
    public double Precision(int classIndex)
    {
        this.CheckClass(classIndex);

        long predicted = 0;
        for (int actual = 0; actual < this.ClassCount; actual++)
        {
            predicted += _confusion[actual, classIndex];
        }

        return predicted == 0 ? double.NaN : (double)_confusion[classIndex, classIndex] / predicted;
    }

    /// <summary>
    /// Computes the recall of a class: the share of rows that truly belong to the class and were predicted as it.
    /// </summary>
    /// <returns>The recall, or NaN when no row of the class was added.</returns>
    public double Recall(int classIndex)
    {
        this.CheckClass(classIndex);

        long actual = 0;
        for (int predicted = 0; predicted < this.ClassCount; predicted++)
        {
            actual += _confusion[classIndex, predicted];
        }

        return actual == 0 ? double.NaN : (double)_confusion[classIndex, classIndex] / actual;
    }

    private void CheckClass(int classIndex)
    {
        if ((uint)classIndex >= (uint)this.ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"The class must be from 0 to {this.ClassCount - 1}.");
        }
    }
}
