namespace Monitor.Observability.Tests;

/// <summary>Checks that the rules and dashboards read only metric names and labels listed in <c>docs/metrics.md</c>.</summary>
public sealed class MetricNameTests
{
    /// <summary>Labels that Prometheus adds to every scraped series.</summary>
    private static readonly string[] TargetLabels = ["job", "instance"];

    private readonly MetricsReference reference = MetricsReference.Load(RepositoryPaths.MetricsReference);

    [Fact]
    public void MetricsReference_Tables_Parse()
    {
        Assert.True(this.reference.Count >= 20, $"Only {this.reference.Count} metrics were read from docs/metrics.md; has its table layout changed?");
        Assert.Equal("histogram", this.reference.Find("monitor_inference_request_duration_seconds_bucket")?.Type);
        Assert.Contains("outcome", this.reference.Find("monitor_inference_requests_total")?.Labels ?? new HashSet<string>());
    }

    [Fact]
    public void RulesMetricNames_AreDocumented()
    {
        string[] missing = RulesFile.Load(RepositoryPaths.RulesFile).Expressions
            .SelectMany(PromQl.MonitorMetricNames)
            .Where(name => this.reference.Find(name) is null)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(missing.Length == 0, "The rules read metrics that docs/metrics.md lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void DashboardMetricNames_AreDocumented()
    {
        string[] missing = DashboardExpressions()
            .SelectMany(query => PromQl.MonitorMetricNames(query.Expression).Select(name => (query.Location, Name: name)))
            .Where(use => this.reference.Find(use.Name) is null)
            .Select(use => $"{use.Location}: {use.Name}")
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        Assert.True(missing.Length == 0, "The dashboards read metrics that docs/metrics.md lacks:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void RulesSelectorLabels_AreDocumented()
    {
        string[] failures = RulesFile.Load(RepositoryPaths.RulesFile).Expressions
            .SelectMany(PromQl.MonitorSelectors)
            .SelectMany(this.UndocumentedLabels)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        Assert.True(failures.Length == 0, "The rules match on labels that docs/metrics.md does not list:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void DashboardSelectorLabels_AreDocumented()
    {
        string[] failures = DashboardExpressions()
            .SelectMany(query => PromQl.MonitorSelectors(query.Expression).SelectMany(this.UndocumentedLabels).Select(failure => $"{query.Location}: {failure}"))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        Assert.True(failures.Length == 0, "The dashboards match on labels that docs/metrics.md does not list:\n" + string.Join('\n', failures));
    }

    /// <summary>Collects the panel and annotation queries and the variable queries of every dashboard.</summary>
    private static IEnumerable<DashboardQuery> DashboardExpressions()
    {
        foreach (DashboardFile dashboard in DashboardFile.LoadAll())
        {
            foreach (DashboardQuery query in dashboard.Queries)
            {
                yield return query;
            }

            foreach (System.Text.Json.Nodes.JsonObject variable in dashboard.Variables)
            {
                string? definition = (string?)variable["definition"];
                if (definition is not null)
                {
                    yield return new DashboardQuery($"{dashboard.Name}: variable '{variable["name"]}'", definition);
                }
            }
        }
    }

    private IEnumerable<string> UndocumentedLabels(Selector selector)
    {
        MetricDefinition? definition = this.reference.Find(selector.MetricName);
        if (definition is null)
        {
            yield break;
        }

        bool isBucket = selector.MetricName.EndsWith("_bucket", StringComparison.Ordinal);
        foreach (string label in selector.LabelNames)
        {
            bool known = definition.Labels.Contains(label) || TargetLabels.Contains(label) || (isBucket && label == "le");
            if (!known)
            {
                yield return $"{selector.MetricName} has no label '{label}'";
            }
        }
    }
}
