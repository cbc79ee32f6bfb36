using System.Text.RegularExpressions;

namespace Monitor.Observability.Tests;

public sealed partial class AlertRuleTests
{
    private static readonly string[] RequiredAlerts =
    [
        "MonitorTargetDown",
        "MonitorNoReadyModel",
        "MonitorModelLoadFailures",
        "MonitorHighErrorRatio",
        "MonitorLatencySLOBurn",
        "MonitorQueueSaturation",
        "MonitorLoadShedding",
        "MonitorCircuitOpen",
        "MonitorAccuracyBelowThreshold",
        "MonitorEstimatedAccuracyDrop",
        "MonitorPredictionDrift",
        "MonitorNoFeedback",
        "MonitorCanaryEvaluationFailing",
    ];

    private static readonly string[] Severities = ["critical", "warning", "info"];

    private static readonly string[] RequiredAnnotations = ["summary", "description", "runbook_url"];

    private readonly RulesFile rules = RulesFile.Load(RepositoryPaths.RulesFile);

    [Fact]
    public void Alerts_RequiredSet_IsPresent()
    {
        string[] missing = RequiredAlerts.Where(name => !this.rules.AlertNames.Contains(name)).ToArray();

        Assert.True(missing.Length == 0, "Alerts missing from the rules file: " + string.Join(", ", missing));
    }

    [Fact]
    public void Alert_Severity_IsKnown()
    {
        string[] failures = this.rules.Alerts
            .Where(alert => !alert.Labels.TryGetValue("severity", out string? severity) || !Severities.Contains(severity))
            .Select(alert => $"{alert.Name}: severity '{alert.Labels.GetValueOrDefault("severity")}'")
            .ToArray();

        Assert.True(failures.Length == 0, $"labels.severity must be one of {string.Join(", ", Severities)}:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void Alert_For_IsAtLeastOneMinute()
    {
        string[] failures = this.rules.Alerts
            .Where(alert => alert.For is null || ParseDuration(alert.For) < TimeSpan.FromMinutes(1))
            .Select(alert => $"{alert.Name}: for '{alert.For}'")
            .ToArray();

        Assert.True(failures.Length == 0, "Every alert needs a 'for' of 1m or more so that one bad scrape does not fire it:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void Alert_Annotations_AreComplete()
    {
        string[] failures = this.rules.Alerts
            .SelectMany(alert => RequiredAnnotations
                .Where(key => string.IsNullOrWhiteSpace(alert.Annotations.GetValueOrDefault(key)))
                .Select(key => $"{alert.Name}: annotation '{key}' is missing"))
            .ToArray();

        Assert.True(failures.Length == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Alert_Description_ShowsValue()
    {
        string[] failures = this.rules.Alerts
            .Where(alert => !alert.Annotations.GetValueOrDefault("description", string.Empty).Contains("$value", StringComparison.Ordinal))
            .Select(alert => alert.Name)
            .ToArray();

        Assert.True(failures.Length == 0, "These descriptions do not show {{ $value }}: " + string.Join(", ", failures));
    }

    /// <summary>Alerts on the daemon's own metrics carry a model label, and their description names it.</summary>
    [Fact]
    public void Alert_Description_NamesModel()
    {
        string[] failures = this.rules.Alerts
            .Where(alert => alert.Expression.Contains("monitor_", StringComparison.Ordinal))
            .Where(alert => !alert.Annotations.GetValueOrDefault("description", string.Empty).Contains("$labels.model", StringComparison.Ordinal))
            .Select(alert => alert.Name)
            .ToArray();

        Assert.True(failures.Length == 0, "These descriptions do not name {{ $labels.model }}: " + string.Join(", ", failures));
    }

    [Fact]
    public void Alert_RunbookUrl_PointsToAlertSection()
    {
        string[] failures = this.rules.Alerts
            .Where(alert => alert.Annotations.GetValueOrDefault("runbook_url") != ExpectedRunbookUrl(alert.Name))
            .Select(alert => $"{alert.Name}: '{alert.Annotations.GetValueOrDefault("runbook_url")}', expected '{ExpectedRunbookUrl(alert.Name)}'")
            .ToArray();

        Assert.True(failures.Length == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Alert_Runbook_HasSection()
    {
        IReadOnlyDictionary<string, string> sections = Runbooks.LoadSections();

        string[] missing = this.rules.AlertNames
            .Where(name => !sections.ContainsKey(Runbooks.Anchor(name)))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(missing.Length == 0, "docs/runbooks.md lacks a '## <alert name>' section for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Alert_RunbookSection_HasPromQlChecks()
    {
        IReadOnlyDictionary<string, string> sections = Runbooks.LoadSections();

        string[] failures = this.rules.AlertNames
            .Where(name => sections.TryGetValue(Runbooks.Anchor(name), out string? body) && !body.Contains("```promql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(failures.Length == 0, "These runbook sections have no ```promql block of first checks: " + string.Join(", ", failures));
    }

    [Fact]
    public void Alert_UnitTests_FireIt()
    {
        HashSet<string> fired = RuleTestFile.LoadAll()
            .SelectMany(file => file.AlertCases)
            .Where(test => test.ExpectedAlerts > 0)
            .Select(test => test.AlertName)
            .ToHashSet(StringComparer.Ordinal);

        string[] missing = this.rules.AlertNames.Where(name => !fired.Contains(name)).Order(StringComparer.Ordinal).ToArray();

        Assert.True(missing.Length == 0, "No promtool test in tests/rules expects these alerts to fire: " + string.Join(", ", missing));
    }

    [Fact]
    public void Alert_UnitTests_KeepItQuiet()
    {
        HashSet<string> quiet = RuleTestFile.LoadAll()
            .SelectMany(file => file.AlertCases)
            .Where(test => test.ExpectedAlerts == 0)
            .Select(test => test.AlertName)
            .ToHashSet(StringComparer.Ordinal);

        string[] missing = this.rules.AlertNames.Where(name => !quiet.Contains(name)).Order(StringComparer.Ordinal).ToArray();

        Assert.True(missing.Length == 0, "No promtool test in tests/rules expects these alerts to stay quiet: " + string.Join(", ", missing));
    }

    [Fact]
    public void AlertUnitTests_NameExistingAlerts()
    {
        string[] unknown = RuleTestFile.LoadAll()
            .SelectMany(file => file.AlertCases)
            .Where(test => !this.rules.AlertNames.Contains(test.AlertName))
            .Select(test => $"{test.File}: alertname '{test.AlertName}' at {test.EvaluationTime}")
            .ToArray();

        Assert.True(unknown.Length == 0, "These promtool tests name an alert that the rules file lacks, so they check nothing:\n" + string.Join('\n', unknown));
    }

    private static string ExpectedRunbookUrl(string alertName) => $"{Runbooks.BaseUrl}#{Runbooks.Anchor(alertName)}";

    /// <summary>Parses a Prometheus duration such as 90s, 5m, 1h30m or 1d.</summary>
    private static TimeSpan ParseDuration(string text)
    {
        Match match = PrometheusDuration().Match(text);
        Assert.True(match.Success, $"'{text}' is not a Prometheus duration.");

        TimeSpan total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            Match unit = DurationPart().Match(part.Value);
            double amount = double.Parse(unit.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            total += unit.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                "w" => TimeSpan.FromDays(7 * amount),
                _ => TimeSpan.FromDays(365 * amount),
            };
        }

        return total;
    }

    [GeneratedRegex(@"^(?<part>\d+(?:ms|s|m|h|d|w|y))+$")]
    private static partial Regex PrometheusDuration();

    [GeneratedRegex(@"^(\d+)(ms|s|m|h|d|w|y)$")]
    private static partial Regex DurationPart();
}
