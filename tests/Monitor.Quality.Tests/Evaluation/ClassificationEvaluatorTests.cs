namespace Monitor.Quality.Tests;

public sealed class ClassificationEvaluatorTests
{
    [Fact]
    public void Results_HandComputedCase()
    {
        ClassificationEvaluator evaluator = CreateHandComputedCase();

        Assert.Equal(5, evaluator.Count);
        Assert.Equal(3, evaluator.Correct);
        Assert.Equal(0.6, evaluator.Accuracy, 12);
    }

    [Fact]
    public void ConfusionMatrix_HandComputedCase()
    {
        long[,] confusion = CreateHandComputedCase().GetConfusionMatrix();

        long[,] expected =
        {
            { 1, 1, 0 },
            { 0, 2, 0 },
            { 0, 1, 0 },
        };
        Assert.Equal(expected, confusion);
    }

    [Fact]
    public void PrecisionAndRecall_HandComputedCase()
    {
        ClassificationEvaluator evaluator = CreateHandComputedCase();

        Assert.Equal(1.0, evaluator.Precision(0), 12);
        Assert.Equal(0.5, evaluator.Precision(1), 12);
        Assert.True(double.IsNaN(evaluator.Precision(2)), "No row was predicted as class 2.");
        Assert.Equal(0.5, evaluator.Recall(0), 12);
        Assert.Equal(1.0, evaluator.Recall(1), 12);
        Assert.Equal(0.0, evaluator.Recall(2), 12);
    }

    [Fact]
    public void CrossEntropy_HandComputedCase()
    {
        // The last row gives probability 0 to its true class, which is clipped to 1e-7.
        double expected = -(Math.Log(0.7) + Math.Log(0.6) + Math.Log(0.3) + Math.Log(0.95) + Math.Log(1e-7)) / 5;

        Assert.Equal(expected, CreateHandComputedCase().CrossEntropy, 6);
    }

    [Fact]
    public void CrossEntropy_MatchesKerasDocumentedValue()
    {
        // keras.metrics.CategoricalCrossentropy documents 1.1769392 for these two rows.
        var evaluator = new ClassificationEvaluator(3);
        evaluator.Add(1, [0.05f, 0.95f, 0f]);
        evaluator.Add(2, [0.1f, 0.8f, 0.1f]);

        Assert.Equal(1.1769392, evaluator.CrossEntropy, 6);
    }

    [Fact]
    public void CrossEntropy_DividesRowBySum()
    {
        var evaluator = new ClassificationEvaluator(3);
        evaluator.Add(1, [1f, 2f, 1f]);

        Assert.Equal(Math.Log(2), evaluator.CrossEntropy, 6);
    }

    [Fact]
    public void Results_Empty_AreNaN()
    {
        var evaluator = new ClassificationEvaluator(2);

        Assert.True(double.IsNaN(evaluator.Accuracy));
        Assert.True(double.IsNaN(evaluator.CrossEntropy));
        Assert.True(double.IsNaN(evaluator.Recall(0)));
    }

    [Fact]
    public void Add_InvalidRow_Throws()
    {
        var evaluator = new ClassificationEvaluator(3);

        Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.Add(3, [0.2f, 0.3f, 0.5f]));
        Assert.Throws<ArgumentException>(() => evaluator.Add(0, [0.5f, 0.5f]));
        Assert.Throws<ArgumentException>(() => evaluator.Add(0, [0f, 0f, 0f]));
        Assert.Throws<ArgumentException>(() => evaluator.Add(0, [float.NaN, 0.5f, 0.5f]));
    }

    private static ClassificationEvaluator CreateHandComputedCase()
    {
        var evaluator = new ClassificationEvaluator(3);
        evaluator.Add(0, [0.7f, 0.2f, 0.1f]);
        evaluator.Add(1, [0.1f, 0.6f, 0.3f]);
        evaluator.Add(2, [0.2f, 0.5f, 0.3f]);
        evaluator.Add(1, [0.05f, 0.95f, 0f]);
        evaluator.Add(0, [0f, 1f, 0f]);
        return evaluator;
    }
}
