using System.Text.Json.Nodes;

namespace Monitor.Observability.Tests;

/// <summary>One alerting rule of the Prometheus rules file.</summary>
internal sealed record AlertRule(
    string Group,
    string Name,
    string Expression,
    string? For,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations);

/// <summary>One recording rule of the Prometheus rules file.</summary>
internal sealed record RecordingRule(string Group, string Name, string Expression);

/// <summary>The rules of a Prometheus rules file (<c>groups</c> of <c>rules</c>), split by kind.</summary>
internal sealed class RulesFile
{
    private RulesFile(IReadOnlyList<AlertRule> alerts, IReadOnlyList<RecordingRule> recordingRules)
    {
        this.Alerts = alerts;
        this.RecordingRules = recordingRules;
    }

    public IReadOnlyList<AlertRule> Alerts { get; }

    public IReadOnlyList<RecordingRule> RecordingRules { get; }

    public IReadOnlySet<string> AlertNames => this.Alerts.Select(alert => alert.Name).ToHashSet(StringComparer.Ordinal);

    public IReadOnlySet<string> RecordedNames => this.RecordingRules.Select(rule => rule.Name).ToHashSet(StringComparer.Ordinal);

    public IEnumerable<string> Expressions =>
        this.Alerts.Select(alert => alert.Expression).Concat(this.RecordingRules.Select(rule => rule.Expression));

    public static RulesFile Load(string path)
    {
        JsonNode document = Yaml.Load(path);
        List<AlertRule> alerts = [];
        List<RecordingRule> recordingRules = [];

        foreach (JsonNode group in Yaml.Items(document["groups"]))
        {
            string groupName = Yaml.Text(group["name"]) ?? string.Empty;
            foreach (JsonNode rule in Yaml.Items(group["rules"]))
            {
                string expression = Yaml.Text(rule["expr"]) ?? string.Empty;
                string? alert = Yaml.Text(rule["alert"]);
                if (alert is not null)
                {
                    alerts.Add(new AlertRule(
                        groupName,
                        alert,
                        expression,
                        Yaml.Text(rule["for"]),
                        Yaml.Strings(rule["labels"]),
                        Yaml.Strings(rule["annotations"])));
                }
                else
                {
                    recordingRules.Add(new RecordingRule(groupName, Yaml.Text(rule["record"]) ?? string.Empty, expression));
                }
            }
        }

        return new RulesFile(alerts, recordingRules);
    }
}
