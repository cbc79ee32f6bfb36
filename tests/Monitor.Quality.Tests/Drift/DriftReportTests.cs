namespace Monitor.Quality.Tests;

public sealed class DriftReportTests
{
    [Fact]
    public void Compare_SameDistribution_IsZero()
    {
        ReferenceProfile reference = CreateReference();
        var window = new PredictionWindow(2, [0.5, 1.0], 100);
        window.Add(0, 0.25f);
        window.Add(1, 0.75f);

        DriftReport report = DriftReport.Compare(reference, window.Snapshot());

        Assert.Equal(0.0, report.ClassPopulationStabilityIndex, 12);
        Assert.Equal(0.0, report.ClassJensenShannonDistance, 12);
        Assert.Equal(0.0, report.ConfidencePopulationStabilityIndex, 12);
        Assert.Equal(0.0, report.ConfidenceJensenShannonDistance, 12);
        Assert.Equal(2, report.WindowCount);
        Assert.False(report.ExceedsAlertThresholds);
    }

    [Fact]
    public void Compare_ShiftedClasses_ExceedsThresholds()
    {
        ReferenceProfile reference = CreateReference();
        var window = new PredictionWindow(2, [0.5, 1.0], 100);
        window.Add(0, 0.25f);
        window.Add(1, 0.75f);
        window.Add(1, 0.75f);
        window.Add(1, 0.75f);

        DriftReport report = DriftReport.Compare(reference, window.Snapshot());

        Assert.Equal(0.274653072167, report.ClassPopulationStabilityIndex, 9);
        Assert.Equal(0.220895768849, report.ClassJensenShannonDistance, 9);
        Assert.True(report.ExceedsAlertThresholds);
    }

    [Fact]
    public void Compare_EmptyWindow_IsNaN()
    {
        var window = new PredictionWindow(2, [0.5, 1.0], 100);

        DriftReport report = DriftReport.Compare(CreateReference(), window.Snapshot());

        Assert.True(double.IsNaN(report.ClassPopulationStabilityIndex));
        Assert.True(double.IsNaN(report.ConfidenceJensenShannonDistance));
    }

    [Fact]
    public void Compare_OtherBounds_Throws()
    {
        var window = new PredictionWindow(2, ConfidenceBuckets.Bounds, 100);
        window.Add(0, 0.5f);

        var exception = Assert.Throws<ArgumentException>(() => DriftReport.Compare(CreateReference(), window.Snapshot()));

        Assert.Contains("confidence bounds", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_OtherClassCount_Throws()
    {
        var window = new PredictionWindow(3, [0.5, 1.0], 100);
        window.Add(0, 0.5f);

        Assert.Throws<ArgumentException>(() => DriftReport.Compare(CreateReference(), window.Snapshot()));
    }

    private static ReferenceProfile CreateReference()
    {
        return new ReferenceProfile(["a", "b"], [0.5, 0.5], [0.5, 1.0], [0.5, 0.5], meanConfidence: 0.5, rows: 100, accuracy: 0.9);
    }
}
