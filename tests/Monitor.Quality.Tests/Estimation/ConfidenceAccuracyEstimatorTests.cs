namespace Monitor.Quality.Tests;

public sealed class ConfidenceAccuracyEstimatorTests
{
    [Fact]
    public void Estimate_WithoutReference_IsMeanConfidence()
    {
        var estimator = new ConfidenceAccuracyEstimator();
        var window = new PredictionWindow(2, ConfidenceBuckets.Bounds, 10);
        window.Add(0, 0.9f);
        window.Add(1, 0.7f);

        Assert.False(estimator.IsReferenceCalibrated);
        Assert.Equal(0.8, estimator.Estimate(window.Snapshot()), 6);
    }

    [Fact]
    public void Estimate_WithReference_ScalesByCalibration()
    {
        ReferenceProfile reference = new(["a", "b"], [0.5, 0.5], [0.5, 1.0], [0.0, 1.0], meanConfidence: 0.9, rows: 10, accuracy: 0.8);
        var estimator = new ConfidenceAccuracyEstimator(reference);

        Assert.True(estimator.IsReferenceCalibrated);
        Assert.Equal(0.8 / 0.9, estimator.CalibrationFactor, 12);
        Assert.Equal(0.8 * 0.8 / 0.9, estimator.Estimate(0.8), 12);
        Assert.Equal(0.8, estimator.Estimate(reference.MeanConfidence), 12);
    }

    [Fact]
    public void Estimate_ReferenceWithoutAccuracy_IsPlain()
    {
        ReferenceProfile reference = new(["a"], [1.0], [1.0], [1.0], meanConfidence: 0.9, rows: 10);
        var estimator = new ConfidenceAccuracyEstimator(reference);

        Assert.False(estimator.IsReferenceCalibrated);
        Assert.Equal(0.6, estimator.Estimate(0.6), 12);
    }

    [Fact]
    public void Estimate_IsClampedToOne()
    {
        ReferenceProfile reference = new(["a"], [1.0], [1.0], [1.0], meanConfidence: 0.5, rows: 10, accuracy: 1.0);
        var estimator = new ConfidenceAccuracyEstimator(reference);

        Assert.Equal(1.0, estimator.Estimate(0.9));
    }

    [Fact]
    public void Estimate_EmptyWindow_IsNaN()
    {
        var estimator = new ConfidenceAccuracyEstimator();
        var window = new PredictionWindow(2, ConfidenceBuckets.Bounds, 10);

        Assert.True(double.IsNaN(estimator.Estimate(window.Snapshot())));
    }
}
