using System.ComponentModel.DataAnnotations;

namespace Monitor.Hosting;

/// <summary>
/// The circuit breaker around each model version's ONNX Runtime runs: it opens when at least
/// <see cref="FailureRatio"/> of the runs in <see cref="SamplingDurationSeconds"/> fail (with at
/// least <see cref="MinimumThroughput"/> runs), then returns 503 at once for <see cref="BreakDurationSeconds"/>.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Gets or sets the failed share of runs that opens the circuit. Default: 0.5.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the fewest runs in the sampling window before the circuit may open. Default: 5.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>Gets or sets the sampling window, in seconds. Default: 30.</summary>
    [Range(0.5, 3600)]
    public double SamplingDurationSeconds { get; set; } = 30;

    /// <summary>Gets or sets how long the circuit stays open before one trial run, in seconds. Default: 5.</summary>
    [Range(0.5, 3600)]
    public double BreakDurationSeconds { get; set; } = 5;
}
