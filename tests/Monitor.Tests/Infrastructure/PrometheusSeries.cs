namespace Monitor.Tests.Infrastructure;

/// <summary>One series of a Prometheus query result: its labels and its sample values in time order.</summary>
public sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<double> Values);
