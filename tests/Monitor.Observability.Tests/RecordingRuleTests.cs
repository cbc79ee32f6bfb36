using System.Text.RegularExpressions;

namespace Monitor.Observability.Tests;

public sealed partial class RecordingRuleTests
{
    private readonly RulesFile rules = RulesFile.Load(RepositoryPaths.RulesFile);

    [Fact]
    public void RecordingRule_Name_IsLevelMetricOperations()
    {
        string[] failures = this.rules.RecordedNames
            .Where(name => !LevelMetricOperations().IsMatch(name) || name.Contains("_total:", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(failures.Length == 0, "Recording rules must be named level:monitor_metric:operations, without _total: " + string.Join(", ", failures));
    }

    [Fact]
    public void RecordingRule_UnitTests_CheckIt()
    {
        HashSet<string> tested = RuleTestFile.LoadAll()
            .SelectMany(file => file.Expressions)
            .SelectMany(PromQl.RecordingRuleNames)
            .ToHashSet(StringComparer.Ordinal);

        string[] untested = this.rules.RecordedNames.Where(name => !tested.Contains(name)).Order(StringComparer.Ordinal).ToArray();

        Assert.True(untested.Length == 0, "No promql_expr_test in tests/rules reads these recording rules: " + string.Join(", ", untested));
    }

    [Fact]
    public void RecordingRule_Inputs_ComeEarlierInGroup()
    {
        List<string> failures = [];
        foreach (IGrouping<string, RecordingRule> group in this.rules.RecordingRules.GroupBy(rule => rule.Group))
        {
            HashSet<string> recordedInGroup = group.Select(rule => rule.Name).ToHashSet(StringComparer.Ordinal);
            HashSet<string> recordedSoFar = new(StringComparer.Ordinal);
            foreach (RecordingRule rule in group)
            {
                failures.AddRange(PromQl.RecordingRuleNames(rule.Expression)
                    .Where(input => input != rule.Name && recordedInGroup.Contains(input) && !recordedSoFar.Contains(input))
                    .Select(input => $"{rule.Name} reads {input}, which group {group.Key} records later"));
                recordedSoFar.Add(rule.Name);
            }
        }

        Assert.True(failures.Count == 0, "Prometheus evaluates a group in order, so these rules would read the previous evaluation:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void RuleExpressions_RecordedInputs_AreDefined()
    {
        string[] failures = this.rules.Expressions
            .SelectMany(PromQl.RecordingRuleNames)
            .Where(name => !this.rules.RecordedNames.Contains(name))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        Assert.True(failures.Length == 0, "Rules read recording rules that the file does not define: " + string.Join(", ", failures));
    }

    [GeneratedRegex(@"^[a-z]+(?:_[a-z]+)*:monitor_[a-z0-9_]+:[a-z0-9_]+$")]
    private static partial Regex LevelMetricOperations();
}
