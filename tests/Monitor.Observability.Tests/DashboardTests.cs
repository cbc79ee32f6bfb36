using System.Text.Json.Nodes;

namespace Monitor.Observability.Tests;

public sealed class DashboardTests
{
    private const string DatasourceVariable = "${datasource}";

    /// <summary>Panel types whose values need a unit in <c>fieldConfig.defaults.unit</c>.</summary>
    private static readonly string[] PanelTypesWithUnit = ["timeseries", "stat", "gauge", "bargauge", "barchart", "table"];

    [Fact]
    public void Dashboards_Folder_HasServingAndQuality()
    {
        string[] names = RepositoryPaths.DashboardFiles().Select(Path.GetFileName).ToArray()!;

        Assert.Contains("serving-overview.json", names);
        Assert.Contains("model-quality.json", names);
    }

    [Theory]
    [MemberData(nameof(TestData.DashboardFiles), MemberType = typeof(TestData))]
    public void Dashboard_Json_IsCurrentSchema(string file)
    {
        DashboardFile dashboard = DashboardFile.Load(Path.Combine(RepositoryPaths.Root, file));

        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard.Root["uid"]), $"{file} has no uid.");
        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard.Root["title"]), $"{file} has no title.");
        Assert.True((int?)dashboard.Root["schemaVersion"] >= 39, $"{file} has schemaVersion {dashboard.Root["schemaVersion"]}; expected 39 or later.");
    }

    [Theory]
    [MemberData(nameof(TestData.DashboardFiles), MemberType = typeof(TestData))]
    public void Dashboard_PanelIds_AreUnique(string file)
    {
        DashboardFile dashboard = DashboardFile.Load(Path.Combine(RepositoryPaths.Root, file));

        int?[] ids = dashboard.Panels.Select(panel => (int?)panel["id"]).ToArray();
        string[] duplicates = ids.GroupBy(id => id).Where(group => group.Count() > 1).Select(group => $"{group.Key?.ToString() ?? "(none)"} x{group.Count()}").ToArray();

        Assert.DoesNotContain(null, ids);
        Assert.True(duplicates.Length == 0, $"{file} repeats panel ids: {string.Join(", ", duplicates)}");
    }

    [Theory]
    [MemberData(nameof(TestData.DashboardFiles), MemberType = typeof(TestData))]
    public void Dashboard_Datasources_UseVariable(string file)
    {
        DashboardFile dashboard = DashboardFile.Load(Path.Combine(RepositoryPaths.Root, file));

        string[] failures = dashboard.DatasourceReferences
            .Where(reference => !IsDatasourceVariable(reference.Value))
            .Select(reference => $"{reference.Path}: {reference.Value?.ToJsonString() ?? "null"}")
            .ToArray();

        Assert.NotEmpty(dashboard.DatasourceReferences);
        Assert.True(failures.Length == 0, $"{file}: every datasource must be {{\"type\":\"prometheus\",\"uid\":\"{DatasourceVariable}\"}}:\n" + string.Join('\n', failures));
    }

    [Theory]
    [MemberData(nameof(TestData.DashboardFiles), MemberType = typeof(TestData))]
    public void Dashboard_Variables_SelectDatasourceModelVersion(string file)
    {
        DashboardFile dashboard = DashboardFile.Load(Path.Combine(RepositoryPaths.Root, file));
        Dictionary<string, JsonObject> variables = dashboard.Variables.ToDictionary(variable => (string?)variable["name"] ?? string.Empty);

        Assert.True(variables.TryGetValue("datasource", out JsonObject? datasource), $"{file} has no 'datasource' variable.");
        Assert.Equal("datasource", (string?)datasource["type"]);
        Assert.Equal("prometheus", (string?)datasource["query"]);

        Assert.True(variables.TryGetValue("model", out JsonObject? model), $"{file} has no 'model' variable.");
        Assert.StartsWith("label_values(monitor_model_loaded", (string?)model["definition"], StringComparison.Ordinal);
        Assert.EndsWith(", model)", (string?)model["definition"], StringComparison.Ordinal);

        Assert.True(variables.TryGetValue("version", out JsonObject? version), $"{file} has no 'version' variable.");
        Assert.StartsWith("label_values(monitor_model_loaded", (string?)version["definition"], StringComparison.Ordinal);
        Assert.EndsWith(", version)", (string?)version["definition"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestData.DashboardFiles), MemberType = typeof(TestData))]
    public void Dashboard_Panels_HaveTitleAndDescription(string file)
    {
        DashboardFile dashboard = DashboardFile.Load(Path.Combine(RepositoryPaths.Root, file));

        string[] failures = dashboard.Panels
            .Where(panel => (string?)panel["type"] != "row")
            .Where(panel => string.IsNullOrWhiteSpace((string?)panel["title"]) || string.IsNullOrWhiteSpace((string?)panel["description"]))
            .Select(panel => $"panel {panel["id"]} '{panel["title"]}'")
            .ToArray();

        Assert.True(failures.Length == 0, $"{file}: these panels lack a title or description:\n" + string.Join('\n', failures));
    }

    [Theory]
    [MemberData(nameof(TestData.DashboardFiles), MemberType = typeof(TestData))]
    public void Dashboard_Panels_HaveUnits(string file)
    {
        DashboardFile dashboard = DashboardFile.Load(Path.Combine(RepositoryPaths.Root, file));

        string[] failures = dashboard.Panels
            .Where(panel => string.IsNullOrWhiteSpace(UnitOf(panel)) && NeedsUnit(panel))
            .Select(panel => $"panel {panel["id"]} '{panel["title"]}' ({panel["type"]})")
            .ToArray();

        Assert.True(failures.Length == 0, $"{file}: these panels have no unit:\n" + string.Join('\n', failures));
    }

    [Theory]
    [MemberData(nameof(TestData.DashboardFiles), MemberType = typeof(TestData))]
    public void Dashboard_Panels_HaveQueries(string file)
    {
        DashboardFile dashboard = DashboardFile.Load(Path.Combine(RepositoryPaths.Root, file));

        string[] failures = dashboard.Panels
            .Where(panel => (string?)panel["type"] != "row")
            .Where(panel => !(panel["targets"] as JsonArray ?? []).OfType<JsonObject>().Any(target => !string.IsNullOrWhiteSpace((string?)target["expr"])))
            .Select(panel => $"panel {panel["id"]} '{panel["title"]}'")
            .ToArray();

        Assert.True(failures.Length == 0, $"{file}: these panels have no PromQL target:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void Dashboards_RecordedNames_AreDefined()
    {
        IReadOnlySet<string> recorded = RulesFile.Load(RepositoryPaths.RulesFile).RecordedNames;

        string[] failures = DashboardFile.LoadAll()
            .SelectMany(dashboard => dashboard.Queries)
            .SelectMany(query => PromQl.RecordingRuleNames(query.Expression).Select(name => (query.Location, Name: name)))
            .Where(use => !recorded.Contains(use.Name))
            .Select(use => $"{use.Location}: {use.Name}")
            .ToArray();

        Assert.True(failures.Length == 0, "The dashboards read recording rules that helm/monitor/files/prometheus-rules.yaml does not define:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void Dashboards_Uids_AreUnique()
    {
        string?[] uids = DashboardFile.LoadAll().Select(dashboard => (string?)dashboard.Root["uid"]).ToArray();

        Assert.Equal(uids.Length, uids.Distinct(StringComparer.Ordinal).Count());
    }

    private static bool IsDatasourceVariable(JsonNode? reference) =>
        reference is JsonObject map
        && map.Count == 2
        && (string?)map["type"] == "prometheus"
        && (string?)map["uid"] == DatasourceVariable;

    private static bool NeedsUnit(JsonObject panel) => PanelTypesWithUnit.Contains((string?)panel["type"]) || (string?)panel["type"] == "heatmap";

    /// <summary>Returns the unit of a panel's values. For a heatmap, that is the unit of its y axis.</summary>
    private static string? UnitOf(JsonObject panel) => (string?)panel["type"] == "heatmap"
        ? (string?)panel["options"]?["yAxis"]?["unit"]
        : (string?)panel["fieldConfig"]?["defaults"]?["unit"];
}
