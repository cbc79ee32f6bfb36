using System.Text.Json;
using Monitor.Chart.Tests.Support;

namespace Monitor.Chart.Tests;

/// <summary>Checks how Prometheus finds the metrics port and how rules and dashboards reach the cluster.</summary>
public sealed class MetricsTests
{
    private static readonly string RulesFile = Path.Combine(ChartTools.ChartDirectory, "files", "prometheus-rules.yaml");

    private static readonly string DashboardsDirectory = Path.Combine(ChartTools.RepositoryRoot, "dashboards");

    [Fact]
    public void ScrapeAnnotations_Default_PointAtMetricsPort()
    {
        RenderResult render = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults);
        IReadOnlyDictionary<string, string> annotations = render.PodMetadata.StringMapAt("annotations");
        int metricsPort = render.DaemonContainer.PortNamed("metrics").GetProperty("containerPort").GetInt32();

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
        Assert.Equal(9464, metricsPort);
        Assert.Empty(render.OfKind("ServiceMonitor"));
        Assert.Empty(render.OfKind("PrometheusRule"));
    }

    [Fact]
    public void ServiceMonitor_Operator_ScrapesMetricsPort()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("operator.yaml");
        JsonElement serviceMonitor = render.Single("ServiceMonitor").Object;
        Manifest service = render.Single("Service");

        JsonElement endpoint = serviceMonitor.ArrayAt("spec.endpoints").Single();
        Assert.Equal("metrics", endpoint.StringAt("port"));
        Assert.Equal("/metrics", endpoint.StringAt("path"));

        JsonElement servicePort = service.Object.ArrayAt("spec.ports").Single(port => port.StringAt("name") == endpoint.StringAt("port"));
        JsonElement containerPort = render.DaemonContainer.PortNamed(servicePort.StringAt("targetPort")!);
        Assert.Equal(9464, containerPort.GetProperty("containerPort").GetInt32());

        IReadOnlyDictionary<string, string> serviceLabels = service.Object.StringMapAt("metadata.labels");
        foreach ((string key, string value) in serviceMonitor.StringMapAt("spec.selector.matchLabels"))
        {
            Assert.True(serviceLabels.ContainsKey(key), $"The ServiceMonitor selects on {key}, which the Service has no label for.");
            Assert.Equal(value, serviceLabels[key]);
        }

        Assert.Equal([ChartRenderer.Namespace], serviceMonitor.ArrayAt("spec.namespaceSelector.matchNames").Select(item => item.GetString()));
        Assert.Equal("kube-prometheus-stack", serviceMonitor.StringAt("metadata.labels.release"));
        Assert.False(render.PodMetadata.StringMapAt("annotations").ContainsKey("prometheus.io/scrape"));
    }

    [Fact]
    public void ServiceMonitor_Operator_SetsJobMonitor()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("operator.yaml");
        string jobLabel = render.Single("ServiceMonitor").Object.StringAt("spec.jobLabel")!;

        // The rule file selects job="monitor"; the ServiceMonitor takes the job from this Service label.
        Assert.Equal("monitor", render.Single("Service").Object.StringMapAt("metadata.labels")[jobLabel]);
    }

    [Fact]
    public void PrometheusRule_Operator_CarriesEveryRule()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("operator.yaml");
        JsonElement rendered = render.Single("PrometheusRule").Object.At("spec.groups")!.Value;
        JsonElement expected = ChartRenderer.ReadYaml(RulesFile).GetProperty("groups");

        Assert.NotEmpty(expected.EnumerateArray());
        Assert.Equal(expected.GetArrayLength(), rendered.GetArrayLength());
        for (int group = 0; group < expected.GetArrayLength(); group++)
        {
            string name = expected[group].GetProperty("name").GetString()!;
            Assert.Equal(name, rendered[group].GetProperty("name").GetString());
            JsonElement expectedRules = expected[group].GetProperty("rules");
            JsonElement renderedRules = rendered[group].GetProperty("rules");
            Assert.Equal(expectedRules.GetArrayLength(), renderedRules.GetArrayLength());
            for (int rule = 0; rule < expectedRules.GetArrayLength(); rule++)
            {
                Assert.True(
                    JsonElement.DeepEquals(expectedRules[rule], renderedRules[rule]),
                    $"Rule {RuleName(expectedRules[rule])} of group {name} differs in the PrometheusRule:\n{renderedRules[rule]}");
            }
        }

        Assert.True(JsonElement.DeepEquals(expected, rendered), "The PrometheusRule groups differ from files/prometheus-rules.yaml.");
    }

    [Fact]
    public void PrometheusRule_Operator_UsesRuleSelectorLabels()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("operator.yaml");

        Assert.Equal("kube-prometheus-stack", render.Single("PrometheusRule").Object.StringAt("metadata.labels.release"));
    }

    [Fact]
    public void DashboardsFolder_IsRelativeLink()
    {
        FileSystemInfo link = new DirectoryInfo(Path.Combine(ChartTools.ChartDirectory, "dashboards"));

        Assert.Equal(Path.Combine("..", "..", "dashboards"), link.LinkTarget);
    }

    [Theory]
    [InlineData(ChartRenderTests.Defaults)]
    [InlineData("operator.yaml")]
    public void Dashboards_ValueSet_EveryFileInConfigMap(string valueSet)
    {
        RenderResult render = ChartRenderTests.RenderValueSet(valueSet);
        string[] files = Directory.Exists(DashboardsDirectory) ? Directory.GetFiles(DashboardsDirectory, "*.json") : [];
        IReadOnlyList<Manifest> configMaps = [.. render.OfKind("ConfigMap").Where(ChartRenderTests.IsDashboard)];

        Assert.True(files.Length > 0, $"'{DashboardsDirectory}' holds no dashboard JSON files.");
        Assert.Equal(files.Length, configMaps.Count);
        foreach (string file in files)
        {
            string key = Path.GetFileName(file);
            Manifest? configMap = configMaps.SingleOrDefault(manifest => manifest.Object.StringMapAt("data").ContainsKey(key));
            Assert.True(configMap is not null, $"No dashboard ConfigMap carries {key}.");
            Assert.Equal("1", configMap.Object.StringAt("metadata.labels.grafana_dashboard"));
            Assert.Equal(File.ReadAllText(file), configMap.Object.StringMapAt("data")[key]);
        }
    }

    [Theory]
    [InlineData("serving-overview.json")]
    [InlineData("model-quality.json")]
    public void Dashboards_Default_IncludeRequiredDashboard(string fileName)
    {
        RenderResult render = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults);

        Assert.Contains(
            render.OfKind("ConfigMap").Where(ChartRenderTests.IsDashboard),
            manifest => manifest.Object.StringMapAt("data").ContainsKey(fileName));
    }

    [Fact]
    public void Dashboards_Operator_UseGrafanaNamespace()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("operator.yaml");

        foreach (Manifest dashboard in render.OfKind("ConfigMap").Where(ChartRenderTests.IsDashboard))
        {
            Assert.Equal("monitoring", dashboard.Object.StringAt("metadata.namespace"));
            Assert.Equal("Monitor", dashboard.Object.StringAt("metadata.annotations.grafana_folder"));
        }
    }

    [Fact]
    public void Dashboards_Disabled_RenderNone()
    {
        RenderResult render = ChartRenderer.RenderValues("metrics:\n  dashboards:\n    enabled: false\n").EnsureSuccess("dashboards disabled");

        Assert.DoesNotContain(render.OfKind("ConfigMap"), ChartRenderTests.IsDashboard);
    }

    private static string RuleName(JsonElement rule) =>
        rule.TryGetProperty("alert", out JsonElement alert) ? alert.GetString()!
        : rule.TryGetProperty("record", out JsonElement record) ? record.GetString()!
        : "(unnamed)";
}
