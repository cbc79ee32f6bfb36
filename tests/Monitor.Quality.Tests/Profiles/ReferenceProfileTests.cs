namespace Monitor.Quality.Tests;

public sealed class ReferenceProfileTests
{
    [Fact]
    public void SaveAndLoad_RoundTrips()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("profile.json");
        ReferenceProfile profile = CreateProfile();

        profile.Save(path);
        ReferenceProfile loaded = ReferenceProfile.Load(path);

        Assert.Equal(profile.ClassNames, loaded.ClassNames);
        Assert.Equal(profile.ClassShares, loaded.ClassShares);
        Assert.Equal(profile.ConfidenceBucketBounds, loaded.ConfidenceBucketBounds);
        Assert.Equal(profile.ConfidenceShares, loaded.ConfidenceShares);
        Assert.Equal(profile.MeanConfidence, loaded.MeanConfidence);
        Assert.Equal(profile.Accuracy, loaded.Accuracy);
        Assert.Equal(profile.Rows, loaded.Rows);
    }

    [Fact]
    public void ToJson_UsesCamelCase()
    {
        string json = CreateProfile().ToJson();

        Assert.Contains("\"classNames\"", json, StringComparison.Ordinal);
        Assert.Contains("\"confidenceBucketBounds\"", json, StringComparison.Ordinal);
        Assert.Contains("\"meanConfidence\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_NoAccuracy_IsNull()
    {
        const string Json = """
            {"classNames":["a","b"],"classShares":[0.5,0.5],"confidenceBucketBounds":[0.5,1.0],
             "confidenceShares":[0.2,0.8],"meanConfidence":0.8,"rows":10}
            """;

        Assert.Null(ReferenceProfile.FromJson(Json).Accuracy);
    }

    [Fact]
    public void FromJson_SharesNotSummingToOne_Throws()
    {
        const string Json = """
            {"classNames":["a","b"],"classShares":[0.5,0.3],"confidenceBucketBounds":[0.5,1.0],
             "confidenceShares":[0.2,0.8],"meanConfidence":0.8,"rows":10}
            """;

        var exception = Assert.Throws<InvalidDataException>(() => ReferenceProfile.FromJson(Json));

        Assert.Contains("classShares sums to 0.8", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_LengthMismatch_ListsEveryProblem()
    {
        const string Json = """
            {"classNames":["a","b","c"],"classShares":[0.5,0.5],"confidenceBucketBounds":[0.5,1.0],
             "confidenceShares":[1.0],"meanConfidence":1.5,"rows":0}
            """;

        var exception = Assert.Throws<InvalidDataException>(() => ReferenceProfile.FromJson(Json));

        Assert.Contains("classShares has 2 values but classNames has 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("confidenceShares has 1 values but confidenceBucketBounds has 2", exception.Message, StringComparison.Ordinal);
        Assert.Contains("meanConfidence is 1.5", exception.Message, StringComparison.Ordinal);
        Assert.Contains("rows is 0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_NegativeShare_Throws()
    {
        const string Json = """
            {"classNames":["a","b"],"classShares":[1.5,-0.5],"confidenceBucketBounds":[0.5,1.0],
             "confidenceShares":[0.2,0.8],"meanConfidence":0.8,"rows":10}
            """;

        var exception = Assert.Throws<InvalidDataException>(() => ReferenceProfile.FromJson(Json));

        Assert.Contains("classShares[1] is -0.5", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_MissingProperty_Throws()
    {
        const string Json = """{"classNames":["a"],"classShares":[1.0],"meanConfidence":0.8,"rows":10}""";

        var exception = Assert.Throws<InvalidDataException>(() => ReferenceProfile.FromJson(Json));

        Assert.Contains("confidenceBucketBounds", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidFile_NamesIt()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("broken.json");
        File.WriteAllText(path, "{ not json");

        var exception = Assert.Throws<InvalidDataException>(() => ReferenceProfile.Load(path));

        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetCumulativeConfidenceShares_AddsUp()
    {
        double[] cumulative = CreateProfile().GetCumulativeConfidenceShares();

        Assert.Equal([0.1, 0.4, 1.0], cumulative, new ToleranceComparer(1e-12));
    }

    private static ReferenceProfile CreateProfile()
    {
        return new ReferenceProfile(
            classNames: ["setosa", "versicolor", "virginica"],
            classShares: [0.3, 0.3, 0.4],
            confidenceBucketBounds: [0.5, 0.9, 1.0],
            confidenceShares: [0.1, 0.3, 0.6],
            meanConfidence: 0.87,
            rows: 150,
            accuracy: 0.97);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y)
        {
            return Math.Abs(x - y) <= tolerance;
        }

        public int GetHashCode(double obj)
        {
            return 0;
        }
    }
}
