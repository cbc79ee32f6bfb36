namespace Monitor.Quality.Tests;

public sealed class PredictionWindowTests
{
    [Fact]
    public void Snapshot_Empty_HasNaNMean()
    {
        var window = new PredictionWindow(3, ConfidenceBuckets.Bounds, 10);

        PredictionWindowSnapshot snapshot = window.Snapshot();

        Assert.Equal(0, snapshot.Count);
        Assert.True(double.IsNaN(snapshot.MeanConfidence));
        Assert.Equal([0, 0, 0], snapshot.ClassCounts);
    }

    [Fact]
    public void Snapshot_CountsClassesAndBuckets()
    {
        var window = new PredictionWindow(3, [0.5, 1.0], 10);
        window.Add(0, 0.25f);
        window.Add(2, 0.75f);
        window.Add(2, 1.0f);

        PredictionWindowSnapshot snapshot = window.Snapshot();

        Assert.Equal(3, snapshot.Count);
        Assert.Equal([1, 0, 2], snapshot.ClassCounts);
        Assert.Equal([1, 2], snapshot.ConfidenceCounts);
        Assert.Equal(2.0 / 3.0, snapshot.MeanConfidence, 6);
    }

    [Fact]
    public void Add_PastCapacity_WrapsAround()
    {
        var window = new PredictionWindow(2, [0.5, 1.0], 3);
        window.Add(0, 0.1f);
        window.Add(1, 0.9f);
        window.Add(1, 0.9f);
        window.Add(1, 0.6f);

        PredictionWindowSnapshot snapshot = window.Snapshot();

        Assert.Equal(3, snapshot.Count);
        Assert.Equal([0, 3], snapshot.ClassCounts);
        Assert.Equal([0, 3], snapshot.ConfidenceCounts);
        Assert.Equal(0.8, snapshot.MeanConfidence, 6);
    }

    [Fact]
    public void Add_ManyPasses_KeepsMeanAccurate()
    {
        var window = new PredictionWindow(1, ConfidenceBuckets.Bounds, 7);
        for (int i = 0; i < 100_000; i++)
        {
            window.Add(0, (i % 10) / 10f);
        }

        window.Add(0, 0.5f);
        for (int i = 0; i < 6; i++)
        {
            window.Add(0, 0.5f);
        }

        Assert.Equal(0.5, window.Snapshot().MeanConfidence, 12);
    }

    [Fact]
    public void Add_ClassOutOfRange_Throws()
    {
        var window = new PredictionWindow(2, ConfidenceBuckets.Bounds, 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => window.Add(2, 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Add(-1, 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Add(0, float.NaN));
    }

    [Fact]
    public void Add_Concurrent_CountsEveryPrediction()
    {
        var window = new PredictionWindow(4, ConfidenceBuckets.Bounds, 1_000_000);

        Parallel.For(0, 8, worker =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                window.Add(i % 4, 0.5f);
            }
        });

        PredictionWindowSnapshot snapshot = window.Snapshot();
        Assert.Equal(80_000, snapshot.Count);
        Assert.Equal([20_000, 20_000, 20_000, 20_000], snapshot.ClassCounts);
    }
}
