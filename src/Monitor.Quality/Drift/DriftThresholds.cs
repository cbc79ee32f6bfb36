namespace Monitor.Quality;

/// <summary>
/// Common thresholds for reading drift measures.
/// </summary>
/// <remarks>
/// For the population stability index, a value below 0.1 is usually read as no significant shift,
/// 0.1 to 0.25 as a moderate shift, and above 0.25 as a major shift. The Monitor alert rules use
/// <see cref="PopulationStabilityIndexAlert"/> (0.25) and <see cref="JensenShannonDistanceAlert"/> (0.2) as thresholds.
/// </remarks>
public static class DriftThresholds
{
    /// <summary>Population stability index at which a moderate shift begins: 0.1.</summary>
    public const double PopulationStabilityIndexModerate = 0.1;

    /// <summary>Population stability index above which the shift is major: 0.25.</summary>
    public const double PopulationStabilityIndexMajor = 0.25;

    /// <summary>Population stability index at which the alert rules fire: 0.25.</summary>
    public const double PopulationStabilityIndexAlert = PopulationStabilityIndexMajor;

    /// <summary>Jensen-Shannon distance (base 2) at which the alert rules fire: 0.2.</summary>
    public const double JensenShannonDistanceAlert = 0.2;
}
