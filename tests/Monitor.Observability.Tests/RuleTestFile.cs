using System.Text.Json.Nodes;

namespace Monitor.Observability.Tests;

/// <summary>One <c>alert_rule_test</c> entry: the alert name and how many alerts it expects to fire.</summary>
internal sealed record AlertCase(string File, string AlertName, string EvaluationTime, int ExpectedAlerts);

/// <summary>The cases of one promtool unit test file.</summary>
internal sealed class RuleTestFile
{
    private RuleTestFile(string path, IReadOnlyList<string> ruleFiles, IReadOnlyList<AlertCase> alertCases, IReadOnlyList<string> expressions)
    {
        this.Path = path;
        this.RuleFiles = ruleFiles;
        this.AlertCases = alertCases;
        this.Expressions = expressions;
    }

    public static IReadOnlyList<RuleTestFile> LoadAll() => RepositoryPaths.RuleTestFiles().Select(Load).ToArray();

    public string Path { get; }

    /// <summary>Gets the <c>rule_files</c> entries, as written (relative to the test file).</summary>
    public IReadOnlyList<string> RuleFiles { get; }

    public IReadOnlyList<AlertCase> AlertCases { get; }

    /// <summary>Gets the expressions of every <c>promql_expr_test</c> entry.</summary>
    public IReadOnlyList<string> Expressions { get; }

    public static RuleTestFile Load(string path)
    {
        JsonNode document = Yaml.Load(path);
        string name = RepositoryPaths.Relative(path);
        List<AlertCase> alertCases = [];
        List<string> expressions = [];

        foreach (JsonNode test in Yaml.Items(document["tests"]))
        {
            foreach (JsonNode alertTest in Yaml.Items(test["alert_rule_test"]))
            {
                alertCases.Add(new AlertCase(
                    name,
                    Yaml.Text(alertTest["alertname"]) ?? string.Empty,
                    Yaml.Text(alertTest["eval_time"]) ?? string.Empty,
                    Yaml.Items(alertTest["exp_alerts"]).Count()));
            }

            foreach (JsonNode expressionTest in Yaml.Items(test["promql_expr_test"]))
            {
                expressions.Add(Yaml.Text(expressionTest["expr"]) ?? string.Empty);
            }
        }

        string[] ruleFiles = Yaml.Items(document["rule_files"]).Select(item => Yaml.Text(item) ?? string.Empty).ToArray();
        return new RuleTestFile(path, ruleFiles, alertCases, expressions);
    }
}
