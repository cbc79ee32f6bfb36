namespace Monitor.Quality.Tests;

public sealed class ReferenceProfileBuilderTests
{
    [Fact]
    public void Build_ComputesSharesMeanAndAccuracy()
    {
        var builder = new ReferenceProfileBuilder(["cat", "dog"], [0.5, 1.0]);
        builder.Add(0, 0.9f, 0);
        builder.Add(0, 0.4f, 1);
        builder.Add(1, 0.8f, 1);
        builder.Add(1, 0.7f, null);

        ReferenceProfile profile = builder.Build();

        Assert.Equal(["cat", "dog"], profile.ClassNames);
        Assert.Equal([0.5, 0.5], profile.ClassShares);
        Assert.Equal([0.5, 1.0], profile.ConfidenceBucketBounds);
        Assert.Equal([0.25, 0.75], profile.ConfidenceShares);
        Assert.Equal(0.7, profile.MeanConfidence, 6);
        Assert.Equal(4, profile.Rows);
        Assert.Equal(2.0 / 3.0, profile.Accuracy!.Value, 12);
    }

    [Fact]
    public void Build_WithoutLabels_HasNoAccuracy()
    {
        var builder = new ReferenceProfileBuilder(["a", "b", "c"]);
        builder.Add(2, 1f, null);

        ReferenceProfile profile = builder.Build();

        Assert.Null(profile.Accuracy);
        Assert.Equal(ConfidenceBuckets.Bounds.ToArray(), profile.ConfidenceBucketBounds);
        Assert.Equal(1.0, profile.ConfidenceShares[^1]);
    }

    [Fact]
    public void Build_NoRows_Throws()
    {
        var builder = new ReferenceProfileBuilder(["a"]);

        Assert.Throws<InvalidOperationException>(builder.Build);
    }

    [Fact]
    public void Add_ClassOutOfRange_Throws()
    {
        var builder = new ReferenceProfileBuilder(["a", "b"]);

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(2, 0.5f, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(0, 0.5f, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(0, float.NaN, null));
    }
}
