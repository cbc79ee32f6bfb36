namespace Monitor.Quality.Tests;

public sealed class ConfidenceBucketsTests
{
    [Fact]
    public void Bounds_Are005To1InSteps()
    {
        Assert.Equal(20, ConfidenceBuckets.Bounds.Length);
        Assert.Equal(0.05, ConfidenceBuckets.Bounds[0]);
        Assert.Equal(0.5, ConfidenceBuckets.Bounds[9]);
        Assert.Equal(1.0, ConfidenceBuckets.Bounds[^1]);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.05, 0)]
    [InlineData(0.0500001, 1)]
    [InlineData(0.5, 9)]
    [InlineData(0.97, 19)]
    [InlineData(1.0, 19)]
    [InlineData(1.2, 19)]
    [InlineData(-0.1, 0)]
    public void IndexOf_UsesUpperBounds(double confidence, int expected)
    {
        Assert.Equal(expected, ConfidenceBuckets.IndexOf(ConfidenceBuckets.Bounds.AsSpan(), confidence));
    }

    [Fact]
    public void IndexOf_NaN_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceBuckets.IndexOf(ConfidenceBuckets.Bounds.AsSpan(), double.NaN));
    }

    [Fact]
    public void Validate_DecreasingBounds_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => ConfidenceBuckets.Validate([0.5, 0.4, 1.0], "bounds"));

        Assert.Contains("index 1", exception.Message, StringComparison.Ordinal);
    }
}
