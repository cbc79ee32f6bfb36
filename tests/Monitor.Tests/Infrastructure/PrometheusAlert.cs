namespace Monitor.Tests.Infrastructure;

/// <summary>An active alert as <c>/api/v1/alerts</c> lists it: its labels and its state, <c>pending</c> or <c>firing</c>.</summary>
public sealed record PrometheusAlert(IReadOnlyDictionary<string, string> Labels, string State)
{
    public string Name => this.Labels["alertname"];
}
