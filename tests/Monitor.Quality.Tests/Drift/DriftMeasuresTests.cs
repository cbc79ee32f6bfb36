namespace Monitor.Quality.Tests;

public sealed class DriftMeasuresTests
{
    [Fact]
    public void PopulationStabilityIndex_Identical_IsZero()
    {
        Assert.Equal(0.0, DriftMeasures.PopulationStabilityIndex([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 12);
    }

    [Fact]
    public void PopulationStabilityIndex_HandComputed()
    {
        // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5)
        double expected = (-0.25 * Math.Log(0.5)) + (0.25 * Math.Log(1.5));

        Assert.Equal(expected, DriftMeasures.PopulationStabilityIndex([0.5, 0.5], [0.25, 0.75]), 12);
        Assert.Equal(0.274653072167, DriftMeasures.PopulationStabilityIndex([0.5, 0.5], [0.25, 0.75]), 9);
    }

    [Fact]
    public void PopulationStabilityIndex_Counts_AreNormalised()
    {
        Assert.Equal(
            DriftMeasures.PopulationStabilityIndex([0.5, 0.5], [0.25, 0.75]),
            DriftMeasures.PopulationStabilityIndex([20, 20], [1, 3]),
            12);
    }

    [Fact]
    public void PopulationStabilityIndex_ZeroShare_UsesReplacement()
    {
        double replacement = DriftMeasures.ZeroShareReplacement;
        double expected = 2 * (1 - replacement) * Math.Log(1 / replacement);

        Assert.Equal(expected, DriftMeasures.PopulationStabilityIndex([1, 0], [0, 1]), 9);
    }

    [Fact]
    public void JensenShannonDistance_Identical_IsZero()
    {
        Assert.Equal(0.0, DriftMeasures.JensenShannonDistance([1, 2, 3], [2, 4, 6]), 12);
    }

    [Fact]
    public void JensenShannonDistance_HandComputed()
    {
        // M = (0.375, 0.625); divergence = (KL(P || M) + KL(Q || M)) / 2 with base-2 logarithms.
        double klP = (0.5 * Math.Log2(0.5 / 0.375)) + (0.5 * Math.Log2(0.5 / 0.625));
        double klQ = (0.25 * Math.Log2(0.25 / 0.375)) + (0.75 * Math.Log2(0.75 / 0.625));
        double expected = Math.Sqrt((klP + klQ) / 2);

        Assert.Equal(expected, DriftMeasures.JensenShannonDistance([0.5, 0.5], [0.25, 0.75]), 12);
        Assert.Equal(0.220895768849, DriftMeasures.JensenShannonDistance([0.5, 0.5], [0.25, 0.75]), 9);
    }

    [Fact]
    public void JensenShannonDistance_Disjoint_IsOne()
    {
        Assert.Equal(1.0, DriftMeasures.JensenShannonDistance([1, 0, 0], [0, 0, 5]), 12);
    }

    [Fact]
    public void Measures_LengthMismatch_Throw()
    {
        Assert.Throws<ArgumentException>(() => DriftMeasures.PopulationStabilityIndex([1, 2], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => DriftMeasures.JensenShannonDistance([1, 2], [1]));
    }

    [Fact]
    public void Measures_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentException>(() => DriftMeasures.PopulationStabilityIndex([0, 0], [1, 1]));
        Assert.Throws<ArgumentException>(() => DriftMeasures.PopulationStabilityIndex([1, -1, 1], [1, 1, 1]));
        Assert.Throws<ArgumentException>(() => DriftMeasures.JensenShannonDistance([1, double.NaN], [1, 1]));
        Assert.Throws<ArgumentException>(() => DriftMeasures.JensenShannonDistance([], []));
    }
}
