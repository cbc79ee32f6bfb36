namespace Monitor.Quality.Tests;

public sealed class RegressionEvaluatorTests
{
    [Fact]
    public void Results_HandComputedCase()
    {
        var evaluator = new RegressionEvaluator();
        evaluator.Add(1f, 2f);
        evaluator.Add(2f, 0f);
        evaluator.Add(3f, 3f);
        evaluator.Add(-1f, -4f);

        Assert.Equal(4, evaluator.Count);
        Assert.Equal((1.0 + 4.0 + 0.0 + 9.0) / 4, evaluator.MeanSquaredError, 12);
        Assert.Equal((1.0 + 2.0 + 0.0 + 3.0) / 4, evaluator.MeanAbsoluteError, 12);
    }

    [Fact]
    public void Results_Empty_AreNaN()
    {
        var evaluator = new RegressionEvaluator();

        Assert.True(double.IsNaN(evaluator.MeanSquaredError));
        Assert.True(double.IsNaN(evaluator.MeanAbsoluteError));
    }

    [Fact]
    public void Add_NonFinite_Throws()
    {
        var evaluator = new RegressionEvaluator();

        Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.Add(float.NaN, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.Add(1f, float.PositiveInfinity));
    }
}
