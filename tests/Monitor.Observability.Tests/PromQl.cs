using System.Text.RegularExpressions;

namespace Monitor.Observability.Tests;

/// <summary>A series selector with a literal metric name, such as <c>monitor_x{model=~"$model"}</c>.</summary>
internal sealed record Selector(string MetricName, IReadOnlyList<string> LabelNames);

/// <summary>
/// Lexical helpers over PromQL text. They find names by pattern and do not parse the query,
/// which is enough for the naming checks of these tests.
/// </summary>
internal static partial class PromQl
{
    /// <summary>Finds the raw <c>monitor_*</c> series names, leaving out recording-rule names (which contain colons).</summary>
    public static IEnumerable<string> MonitorMetricNames(string expression) =>
        MonitorName().Matches(expression).Select(match => match.Value).Distinct(StringComparer.Ordinal);

    /// <summary>Finds the recording-rule names (<c>level:metric:operations</c>) that an expression reads.</summary>
    public static IEnumerable<string> RecordingRuleNames(string expression) =>
        RecordedName().Matches(expression).Select(match => match.Value).Distinct(StringComparer.Ordinal);

    /// <summary>Finds every <c>monitor_*</c> selector with braces and the label names that it matches on.</summary>
    public static IEnumerable<Selector> MonitorSelectors(string expression) =>
        MonitorSelector().Matches(expression).Select(match => new Selector(
            match.Groups["name"].Value,
            LabelMatcher().Matches(match.Groups["matchers"].Value).Select(matcher => matcher.Groups[1].Value).ToArray()));

    /// <summary>
    /// Replaces Grafana's variables with values that make the query valid PromQL:
    /// <c>$__rate_interval</c> and <c>$__range</c> with durations, template variables with <c>.*</c>.
    /// </summary>
    public static string SubstituteGrafanaVariables(string expression)
    {
        string result = expression
            .Replace("$__rate_interval", "5m", StringComparison.Ordinal)
            .Replace("$__interval", "1m", StringComparison.Ordinal)
            .Replace("$__range", "1h", StringComparison.Ordinal);
        return TemplateVariable().Replace(result, ".*");
    }

    [GeneratedRegex(@"(?<![\w:])monitor_[a-z0-9_]+(?![\w:])")]
    private static partial Regex MonitorName();

    [GeneratedRegex(@"(?<![\w:])[a-z][a-z0-9_]*:[a-z0-9_]+:[a-z0-9_]+(?![\w:])")]
    private static partial Regex RecordedName();

    [GeneratedRegex(@"(?<![\w:])(?<name>monitor_[a-z0-9_]+)\s*\{(?<matchers>[^}]*)\}")]
    private static partial Regex MonitorSelector();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex LabelMatcher();

    [GeneratedRegex(@"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")]
    private static partial Regex TemplateVariable();
}
