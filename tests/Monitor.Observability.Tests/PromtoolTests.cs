using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Monitor.Observability.Tests;

public sealed class PromtoolTests
{
    private static readonly JsonSerializerOptions YamlStringOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task CheckRules_RulesFile_Passes()
    {
        Promtool.Result result = await Promtool.RunAsync("check", "rules", RepositoryPaths.RulesFile);

        Assert.True(result.ExitCode == 0, $"promtool check rules failed:\n{result.Output}");
    }

    [Fact]
    public void RuleTestsFolder_HasFiles()
    {
        Assert.NotEmpty(RepositoryPaths.RuleTestFiles());
    }

    [Theory]
    [MemberData(nameof(TestData.RuleTestFiles), MemberType = typeof(TestData))]
    public async Task TestRules_File_Passes(string file)
    {
        Promtool.Result result = await Promtool.RunAsync("test", "rules", file);

        Assert.True(result.ExitCode == 0, $"promtool test rules {file} failed:\n{result.Output}");
    }

    [Fact]
    public void RuleTestFiles_LoadTheChartRules()
    {
        List<string> failures = [];
        foreach (RuleTestFile testFile in RuleTestFile.LoadAll())
        {
            string directory = Path.GetDirectoryName(testFile.Path)!;
            string[] resolved = testFile.RuleFiles.Select(file => Path.GetFullPath(Path.Combine(directory, file))).ToArray();
            if (resolved.Length != 1 || resolved[0] != RepositoryPaths.RulesFile)
            {
                failures.Add($"{RepositoryPaths.Relative(testFile.Path)}: rule_files is [{string.Join(", ", testFile.RuleFiles)}]");
            }
        }

        Assert.True(failures.Count == 0, "Each promtool test file must load exactly helm/monitor/files/prometheus-rules.yaml:\n" + string.Join('\n', failures));
    }

    /// <summary>
    /// Writes every dashboard query, with Grafana's variables replaced, as a recording rule and lets
    /// promtool parse them, so a PromQL syntax error fails here instead of in Grafana.
    /// </summary>
    [Fact]
    public async Task CheckRules_DashboardQueries_Parse()
    {
        List<DashboardQuery> queries = DashboardFile.LoadAll().SelectMany(dashboard => dashboard.Queries).ToList();
        Assert.NotEmpty(queries);

        StringBuilder rules = new("groups:\n  - name: dashboard-queries\n    rules:\n");
        StringBuilder index = new();
        for (int i = 0; i < queries.Count; i++)
        {
            string expression = PromQl.SubstituteGrafanaVariables(queries[i].Expression);
            rules.Append($"      - record: dashboard_query_{i}\n");
            rules.Append($"        expr: {JsonSerializer.Serialize(expression, YamlStringOptions)}\n");
            index.Append($"dashboard_query_{i}: {queries[i].Location}\n");
        }

        string path = Path.Combine(Path.GetTempPath(), $"monitor-dashboard-queries-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, rules.ToString());
        try
        {
            Promtool.Result result = await Promtool.RunAsync("check", "rules", path);

            Assert.True(result.ExitCode == 0, $"A dashboard query is not valid PromQL:\n{result.Output}\nRule names map to panels as follows:\n{index}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
