using System.Text.Json;
using Monitor.Chart.Tests.Support;

namespace Monitor.Chart.Tests;

/// <summary>
/// Renders the chart with its defaults and with every example values file, then checks the
/// output as a cluster would: Kubernetes and Prometheus Operator schemas, unknown fields,
/// YAML style and references between objects.
/// </summary>
public sealed class ChartRenderTests
{
    /// <summary>Stands for the chart's own values.yaml without an example laid over it.</summary>
    public const string Defaults = "defaults";

    public static TheoryData<string> ValueSets()
    {
        TheoryData<string> data = [Defaults];
        foreach (string example in ChartRenderer.ExampleFiles())
        {
            data.Add(example);
        }

        return data;
    }

    internal static RenderResult RenderValueSet(string valueSet) =>
        ChartRenderer.RenderExample(valueSet == Defaults ? null : valueSet).EnsureSuccess(valueSet);

    [Fact]
    public void Examples_CoverEverySetup()
    {
        IReadOnlyList<string> examples = ChartRenderer.ExampleFiles();

        foreach (string expected in new[] { "gpu.yaml", "pvc.yaml", "image-models.yaml", "configmap-models.yaml", "operator.yaml" })
        {
            Assert.Contains(expected, examples);
        }
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Render_ValueSet_HasCoreObjects(string valueSet)
    {
        RenderResult render = RenderValueSet(valueSet);

        render.Single("Deployment");
        render.Single("Service");
        Assert.Contains(render.OfKind("ConfigMap"), manifest => manifest.Name == render.Single("Deployment").Name);
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Render_ValueSet_UsesReleaseNamespace(string valueSet)
    {
        RenderResult render = RenderValueSet(valueSet);

        foreach (Manifest manifest in render.Manifests.Where(manifest => !IsDashboard(manifest)))
        {
            Assert.True(
                manifest.Object.StringAt("metadata.namespace") == ChartRenderer.Namespace,
                $"{manifest} is not in the release namespace '{ChartRenderer.Namespace}'.");
        }
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Render_ValueSet_MatchesKubernetesSchemas(string valueSet)
    {
        RenderResult render = RenderValueSet(valueSet);
        string node = ChartTools.Node();

        ProcessResult validation = ProcessRunner.Run(
            node,
            [Path.Combine(ChartTools.ToolsDirectory, "validate", "validate.mjs"), render.ManifestsJsonPath],
            ChartTools.RepositoryRoot,
            TimeSpan.FromMinutes(2));

        Assert.True(validation.ExitCode == 0, $"Rendered objects for {valueSet} do not match the Kubernetes schemas:\n{validation.Output}");
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Render_ValueSet_PassesYamllint(string valueSet)
    {
        RenderResult render = RenderValueSet(valueSet);

        ProcessResult lint = RunYamlLint(render.ManifestsYamlPath);

        Assert.True(lint.ExitCode == 0, $"yamllint rejects the manifests rendered for {valueSet}:\n{lint.Output}");
    }

    [Fact]
    public void ChartYamlFiles_PassYamllint()
    {
        string[] files =
        [
            Path.Combine(ChartTools.ChartDirectory, "Chart.yaml"),
            Path.Combine(ChartTools.ChartDirectory, "values.yaml"),
            .. ChartRenderer.ExampleFiles().Select(example => Path.Combine(ChartTools.ChartDirectory, "examples", example)),
        ];

        ProcessResult lint = RunYamlLint(files);

        Assert.True(lint.ExitCode == 0, $"yamllint rejects the chart's YAML files:\n{lint.Output}");
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Selectors_ValueSet_MatchPodLabels(string valueSet)
    {
        RenderResult render = RenderValueSet(valueSet);
        IReadOnlyDictionary<string, string> podLabels = render.PodMetadata.StringMapAt("labels");

        List<(string Owner, IReadOnlyDictionary<string, string> Selector)> selectors =
        [
            ("Deployment", render.Single("Deployment").Object.StringMapAt("spec.selector.matchLabels")),
            ("Service", render.Single("Service").Object.StringMapAt("spec.selector")),
            .. render.OfKind("PodDisruptionBudget").Select(pdb => ("PodDisruptionBudget", pdb.Object.StringMapAt("spec.selector.matchLabels"))),
        ];
        foreach ((string owner, IReadOnlyDictionary<string, string> selector) in selectors)
        {
            Assert.NotEmpty(selector);
            foreach ((string key, string value) in selector)
            {
                Assert.True(podLabels.ContainsKey(key), $"The {owner} selects on {key}, which the pods have no label for.");
                Assert.Equal(value, podLabels[key]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void VolumeMounts_ValueSet_ReferToPodVolumes(string valueSet)
    {
        RenderResult render = RenderValueSet(valueSet);
        HashSet<string?> volumes = [.. render.PodSpec.ArrayAt("volumes").Select(volume => volume.StringAt("name"))];

        IEnumerable<JsonElement> containers = render.PodSpec.ArrayAt("containers").Concat(render.PodSpec.ArrayAt("initContainers"));
        foreach (JsonElement container in containers)
        {
            foreach (JsonElement mount in container.ArrayAt("volumeMounts"))
            {
                Assert.True(
                    volumes.Contains(mount.StringAt("name")),
                    $"Container {container.StringAt("name")} mounts volume '{mount.StringAt("name")}', which the pod does not define.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Notes_ValueSet_NameTheDeployment(string valueSet)
    {
        RenderResult render = RenderValueSet(valueSet);

        Assert.Contains($"deployment/{render.Single("Deployment").Name}", render.Notes, StringComparison.Ordinal);
    }

    internal static bool IsDashboard(Manifest manifest) =>
        manifest.Kind == "ConfigMap" && manifest.Object.StringMapAt("metadata.labels").ContainsKey("grafana_dashboard");

    private static ProcessResult RunYamlLint(params string[] files)
    {
        string yamllint = ChartTools.YamlLint();
        return ProcessRunner.Run(
            yamllint,
            ["--strict", "-c", Path.Combine(ChartTools.ToolsDirectory, "yamllint.yaml"), .. files],
            ChartTools.RepositoryRoot,
            TimeSpan.FromMinutes(1));
    }
}
