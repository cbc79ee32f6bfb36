using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Monitor.Observability.Tests;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

/// <summary>
/// Evaluates the dashboards and the rules file on a real Prometheus that scraped a daemon under
/// labelled traffic, and compares what Prometheus computes with offline results.
/// </summary>
public sealed partial class PrometheusIntegrationTests : IClassFixture<PrometheusIntegrationFixture>
{
    private const string Job = PrometheusIntegrationFixture.JobName;

    /// <summary>Values for Grafana's variables: every model and version, and windows that cover the whole run.</summary>
    private static readonly Dictionary<string, string> GrafanaVariables = new(StringComparer.Ordinal)
    {
        ["job"] = Job,
        ["model"] = ".*",
        ["version"] = ".*",
        ["__rate_interval"] = "1m",
        ["__interval"] = "15s",
        ["__range"] = "5m",
    };

    private readonly PrometheusIntegrationFixture fixture;

    public PrometheusIntegrationTests(PrometheusIntegrationFixture fixture)
    {
        this.fixture = fixture;
    }

    private PrometheusServer Prometheus => this.fixture.Prometheus;

    [Fact]
    public async Task DashboardQueriesReturnData()
    {
        List<string> failures = [];
        int evaluated = 0;
        foreach (DashboardFile dashboard in DashboardFile.LoadAll())
        {
            foreach (JsonObject panel in dashboard.Panels)
            {
                string title = (string?)panel["title"] ?? string.Empty;
                string? exemption = this.PanelExemption(dashboard.Name, title);
                foreach (JsonObject target in (panel["targets"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if ((string?)target["expr"] is not { } expression || exemption is not null)
                    {
                        continue;
                    }

                    bool instant = (bool?)target["instant"] ?? false;
                    string location = $"{dashboard.Name}: panel '{title}' target {target["refId"]}";
                    failures.AddRange(await this.CheckDashboardQueryAsync(location, expression, instant));
                    evaluated++;
                }
            }

            foreach (JsonObject annotation in (dashboard.Root["annotations"]?["list"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if ((string?)annotation["expr"] is { } expression)
                {
                    failures.AddRange(await this.CheckDashboardQueryAsync($"{dashboard.Name}: annotation '{annotation["name"]}'", expression, instant: false));
                    evaluated++;
                }
            }
        }

        Assert.True(evaluated > 0, $"No dashboard query was found in '{RepositoryPaths.DashboardsDirectory}'.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {evaluated} dashboard queries returned no data:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public async Task DashboardVariablesListServedModels()
    {
        Dictionary<string, string[]> expected = new(StringComparer.Ordinal)
        {
            ["job"] = [Job],
            ["model"] = [PrometheusIntegrationFixture.Steady, PrometheusIntegrationFixture.Shifted, PrometheusIntegrationFixture.Linear],
            ["version"] = ["1"],
        };
        foreach (DashboardFile dashboard in DashboardFile.LoadAll())
        {
            foreach (JsonObject variable in dashboard.Variables.Where(variable => (string?)variable["type"] == "query"))
            {
                string name = (string)variable["name"]!;
                string query = (string?)variable["query"]?["query"] ?? (string?)variable["query"] ?? string.Empty;
                Match labelValues = LabelValuesQuery().Match(query);
                Assert.True(labelValues.Success, $"{dashboard.Name}: variable '{name}' has query '{query}', which is not label_values(selector, label).");

                IReadOnlyList<string> values = await this.Prometheus.LabelValuesAsync(labelValues.Groups["label"].Value, Substitute(labelValues.Groups["selector"].Value));
                foreach (string value in expected[name])
                {
                    Assert.True(values.Contains(value), $"{dashboard.Name}: variable '{name}' lists [{string.Join(", ", values)}] without '{value}'.");
                }
            }
        }
    }

    [Fact]
    public async Task RecordingRulesReturnData()
    {
        RulesFile rules = RulesFile.Load(RepositoryPaths.RulesFile);
        List<string> failures = [];
        foreach (RecordingRule rule in rules.RecordingRules)
        {
            PrometheusQueryResult result = await this.Prometheus.QueryAsync(rule.Expression);
            if (result.ResultType != "vector" || !result.HasNumber)
            {
                failures.Add($"{rule.Group}: {rule.Name} returned {Describe(result)}\n    {OneLine(rule.Expression)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {rules.RecordingRules.Count} recording rules returned no data:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public async Task AlertExpressionsReturnData()
    {
        RulesFile rules = RulesFile.Load(RepositoryPaths.RulesFile);
        List<string> failures = [];
        foreach (AlertRule alert in rules.Alerts)
        {
            PrometheusQueryResult result = await this.Prometheus.QueryAsync(alert.Expression);
            if (result.ResultType != "vector" || result.Series.Count == 0)
            {
                failures.Add($"{alert.Group}: {alert.Name} returned {Describe(result)}\n    {OneLine(alert.Expression)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {rules.Alerts.Count} alert expressions returned nothing:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public async Task DrivenAlertsArePendingOrFiring()
    {
        RulesFile rules = RulesFile.Load(RepositoryPaths.RulesFile);
        HashSet<string> active = (await this.Prometheus.AlertsAsync()).Select(alert => alert.Name).ToHashSet(StringComparer.Ordinal);

        foreach (string name in rules.AlertNames.Order(StringComparer.Ordinal))
        {
            Assert.True(active.Contains(name), $"Alert {name} is neither pending nor firing. Active alerts: {string.Join(", ", active.Order(StringComparer.Ordinal))}.");
        }
    }

    [Fact]
    public async Task FeedbackAccuracyEqualsOfflineAccuracy()
    {
        foreach (MnistStream stream in this.fixture.LabelledStreams.Where(stream => stream.Model != PrometheusIntegrationFixture.Misscaled))
        {
            string selector = $"job=\"{Job}\", model=\"{stream.Model}\"";
            double correct = await this.fixture.QueryScalarAsync($"sum(monitor_feedback_total{{{selector}, outcome=\"correct\"}})");
            double scored = await this.fixture.QueryScalarAsync($"sum(monitor_feedback_total{{{selector}, outcome=~\"correct|incorrect\"}})");
            double accuracy = await this.fixture.QueryScalarAsync(
                $"sum(monitor_feedback_total{{{selector}, outcome=\"correct\"}}) / sum(monitor_feedback_total{{{selector}, outcome=~\"correct|incorrect\"}})");
            double recorded = await this.fixture.QueryScalarAsync($"model_version:monitor_feedback_accuracy:ratio_rate1h{{model=\"{stream.Model}\"}}");
            double firstSampled = await this.fixture.QueryScalarAsync($"sum(min_over_time(monitor_feedback_total{{{selector}, outcome=~\"correct|incorrect\"}}[10m]))");

            Assert.Equal(stream.Rows.Count, scored);
            Assert.Equal(stream.CountCorrect(), correct);
            Assert.Equal((double)stream.CountCorrect() / stream.Rows.Count, accuracy, 12);
            Assert.InRange(firstSampled, 2, stream.FirstRoundRows);

            // rate() measures growth after a series' first sample, so the recorded accuracy covers
            // the rows scored after the first scrape that saw feedback. The daemon scores feedback
            // in request order, and the first row of each stream is misclassified, so both outcome
            // series share that scrape and rate extrapolation scales them alike.
            int skipped = (int)firstSampled;
            double laterAccuracy = (double)stream.CountCorrect(skipped) / (stream.Rows.Count - skipped);
            Assert.True(Math.Abs(laterAccuracy - recorded) < 0.001,
                $"{stream.Model}: recorded accuracy {recorded} differs from the offline accuracy {laterAccuracy} of the rows after the first {skipped}.");
        }
    }

    [Fact]
    public async Task DriftAlertFiresForShiftedOnly()
    {
        IReadOnlyList<PrometheusAlert> drift = (await this.Prometheus.AlertsAsync()).Where(alert => alert.Name == "MonitorPredictionDrift").ToArray();
        string listed = string.Join("; ", drift.Select(alert => $"{alert.Labels.GetValueOrDefault("model")} {alert.Labels.GetValueOrDefault("feature")} {alert.Labels.GetValueOrDefault("statistic")} {alert.State}"));

        Assert.True(
            drift.Any(alert => alert.Labels.GetValueOrDefault("model") == PrometheusIntegrationFixture.Shifted),
            $"MonitorPredictionDrift is not active for '{PrometheusIntegrationFixture.Shifted}'. Active: {listed}.");
        Assert.False(
            drift.Any(alert => alert.Labels.GetValueOrDefault("model") == PrometheusIntegrationFixture.Steady),
            $"MonitorPredictionDrift is active for '{PrometheusIntegrationFixture.Steady}'. Active: {listed}.");
    }

    /// <summary>Replaces Grafana's variables (<c>$name</c> or <c>${name}</c>) with the values in <see cref="GrafanaVariables"/>.</summary>
    private static string Substitute(string expression) =>
        GrafanaVariable().Replace(expression, match => GrafanaVariables.TryGetValue(match.Groups["name"].Value, out string? value)
            ? value
            : throw new InvalidDataException($"The dashboard variable '{match.Value}' has no test value, in: {expression}"));

    private static string Describe(PrometheusQueryResult result) =>
        result.Series.Count == 0
            ? $"an empty {result.ResultType}"
            : $"a {result.ResultType} of {result.Series.Count} series without a number";

    private static string OneLine(string expression) => Regex.Replace(expression.Trim(), @"\s+", " ");

    /// <summary>Returns why a panel is not checked in this run, or null when it is.</summary>
    private string? PanelExemption(string dashboard, string title) => (dashboard, title) switch
    {
        ("serving-overview.json", "GPU memory" or "GPU utilisation") when !this.fixture.HasNvml =>
            "NVML is not loaded on this machine, so the daemon exports no GPU metrics.",
        _ => null,
    };

    /// <summary>
    /// Runs one dashboard query as Grafana would: an instant query for instant targets, else a
    /// range query over the traffic. Returns the failures, each with the place and the expression.
    /// </summary>
    private async Task<IEnumerable<string>> CheckDashboardQueryAsync(string location, string expression, bool instant)
    {
        string query = Substitute(expression);
        PrometheusQueryResult result;
        try
        {
            result = instant
                ? await this.Prometheus.QueryAsync(query)
                : await this.Prometheus.QueryRangeAsync(query, this.fixture.TrafficStart, TimeSpan.FromSeconds(1));
        }
        catch (InvalidOperationException exception)
        {
            return [$"{location}: {exception.Message}"];
        }

        string expectedType = instant ? "vector" : "matrix";
        return result.ResultType == expectedType && result.HasNumber
            ? []
            : [$"{location} returned {Describe(result)}\n    {OneLine(query)}"];
    }

    [GeneratedRegex(@"^\s*label_values\((?<selector>.+),\s*(?<label>[A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$")]
    private static partial Regex LabelValuesQuery();

    [GeneratedRegex(@"\$(?:\{(?<name>\w+)\}|(?<name>\w+))")]
    private static partial Regex GrafanaVariable();
}
