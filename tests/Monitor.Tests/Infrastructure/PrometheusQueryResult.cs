namespace Monitor.Tests.Infrastructure;

/// <summary>The result of an instant or range query: its type (<c>vector</c>, <c>matrix</c> or <c>scalar</c>) and its series.</summary>
public sealed record PrometheusQueryResult(string ResultType, IReadOnlyList<PrometheusSeries> Series)
{
    /// <summary>Gets whether any series has a sample that is a number, not NaN.</summary>
    public bool HasNumber => this.Series.Any(series => series.Values.Any(value => !double.IsNaN(value)));
}
