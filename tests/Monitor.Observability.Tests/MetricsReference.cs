using System.Text.RegularExpressions;

namespace Monitor.Observability.Tests;

/// <summary>One metric row of <c>docs/metrics.md</c>: the name as Prometheus scrapes it, its type and its labels.</summary>
internal sealed record MetricDefinition(string Name, string Type, IReadOnlySet<string> Labels);

/// <summary>The metric tables of <c>docs/metrics.md</c>.</summary>
internal sealed partial class MetricsReference
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    private readonly Dictionary<string, MetricDefinition> metrics;

    private MetricsReference(Dictionary<string, MetricDefinition> metrics)
    {
        this.metrics = metrics;
    }

    public int Count => this.metrics.Count;

    public static MetricsReference Load(string path)
    {
        Dictionary<string, MetricDefinition> metrics = new(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path))
        {
            Match row = TableRow().Match(line);
            if (!row.Success)
            {
                continue;
            }

            HashSet<string> labels = BacktickedWord().Matches(row.Groups["labels"].Value)
                .Select(match => match.Groups[1].Value)
                .ToHashSet(StringComparer.Ordinal);
            string name = row.Groups["name"].Value;
            metrics[name] = new MetricDefinition(name, row.Groups["type"].Value.Trim(), labels);
        }

        return new MetricsReference(metrics);
    }

    /// <summary>
    /// Finds the definition of a scraped series name. A histogram's <c>_bucket</c>, <c>_sum</c> and
    /// <c>_count</c> series resolve to the histogram. Returns null for a name that the reference lacks.
    /// </summary>
    public MetricDefinition? Find(string seriesName)
    {
        if (this.metrics.TryGetValue(seriesName, out MetricDefinition? definition))
        {
            return definition;
        }

        foreach (string suffix in HistogramSuffixes)
        {
            if (seriesName.EndsWith(suffix, StringComparison.Ordinal)
                && this.metrics.TryGetValue(seriesName[..^suffix.Length], out MetricDefinition? histogram)
                && histogram.Type == "histogram")
            {
                return histogram;
            }
        }

        return null;
    }

    // A row such as: | `monitor_inference_requests_total` | counter | requests | `model`, `version` | meaning |
    [GeneratedRegex(@"^\|\s*`(?<name>monitor_[a-z0-9_]+)`\s*\|(?<type>[^|]*)\|[^|]*\|(?<labels>[^|]*)\|")]
    private static partial Regex TableRow();

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex BacktickedWord();
}
