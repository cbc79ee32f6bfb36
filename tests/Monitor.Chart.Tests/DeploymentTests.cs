using System.Text.Json;
using System.Text.RegularExpressions;
using Monitor.Chart.Tests.Support;

namespace Monitor.Chart.Tests;

/// <summary>Checks the rendered Deployment against the daemon's contract and the restricted Pod Security Standard.</summary>
public sealed class DeploymentTests
{
    private const string LivePath = "/v2/health/live";

    private const string ReadyPath = "/v2/health/ready";

    private const string SecretsPath = "/var/run/secrets/monitor";

    [Fact]
    public void Probes_Default_UseHealthEndpoints()
    {
        JsonElement container = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults).DaemonContainer;

        Assert.Equal(LivePath, container.StringAt("startupProbe.httpGet.path"));
        Assert.Equal(LivePath, container.StringAt("livenessProbe.httpGet.path"));
        Assert.Equal(ReadyPath, container.StringAt("readinessProbe.httpGet.path"));
        Assert.Equal("http", container.StringAt("startupProbe.httpGet.port"));
        Assert.Equal("http", container.StringAt("livenessProbe.httpGet.port"));
        Assert.Equal("http", container.StringAt("readinessProbe.httpGet.port"));
    }

    [Theory]
    [InlineData(LivePath)]
    [InlineData(ReadyPath)]
    public void ProbePath_DaemonSource_MapsRoute(string path)
    {
        string sources = Path.Combine(ChartTools.RepositoryRoot, "src", "Monitor");
        string literal = $"\"{path}\"";

        bool mapped = Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories)
            .Any(file => File.ReadAllText(file).Contains(literal, StringComparison.Ordinal));

        Assert.True(mapped, $"No source file under src/Monitor maps the probe path {literal}.");
    }

    [Fact]
    public void Ports_Default_MatchDaemonDefaults()
    {
        RenderResult render = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults);
        JsonElement container = render.DaemonContainer;
        IReadOnlyDictionary<string, string> configuration = render.DaemonConfiguration;

        Assert.Equal(DaemonDefault("DefaultHttpPort"), container.PortNamed("http").GetProperty("containerPort").GetInt32());
        Assert.Equal(DaemonDefault("DefaultMetricsPort"), container.PortNamed("metrics").GetProperty("containerPort").GetInt32());
        Assert.Equal(8000, container.PortNamed("http").GetProperty("containerPort").GetInt32());
        Assert.Equal(9464, container.PortNamed("metrics").GetProperty("containerPort").GetInt32());
        Assert.Equal("8000", configuration["Monitor__HttpPort"]);
        Assert.Equal("9464", configuration["Monitor__MetricsPort"]);
    }

    [Fact]
    public void Service_Default_TargetsNamedPorts()
    {
        RenderResult render = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults);
        IReadOnlyList<JsonElement> ports = render.Single("Service").Object.ArrayAt("spec.ports");

        JsonElement http = ports.Single(port => port.StringAt("name") == "http");
        JsonElement metrics = ports.Single(port => port.StringAt("name") == "metrics");
        Assert.Equal("http", http.StringAt("targetPort"));
        Assert.Equal("metrics", metrics.StringAt("targetPort"));
        Assert.Equal(8000, http.GetProperty("port").GetInt32());
        Assert.Equal(9464, metrics.GetProperty("port").GetInt32());
    }

    [Theory]
    [MemberData(nameof(ChartRenderTests.ValueSets), MemberType = typeof(ChartRenderTests))]
    public void SecurityContext_ValueSet_IsRestricted(string valueSet)
    {
        RenderResult render = ChartRenderTests.RenderValueSet(valueSet);
        JsonElement pod = render.PodSpec;

        Assert.True(pod.BooleanAt("securityContext.runAsNonRoot"), "The pod does not set runAsNonRoot.");
        Assert.Equal("RuntimeDefault", pod.StringAt("securityContext.seccompProfile.type"));
        Assert.False(pod.BooleanAt("automountServiceAccountToken") ?? true, "The pod mounts a service account token.");
        foreach (JsonElement container in pod.ArrayAt("containers").Concat(pod.ArrayAt("initContainers")))
        {
            string name = container.StringAt("name")!;
            Assert.True(container.BooleanAt("securityContext.runAsNonRoot"), $"Container {name} does not set runAsNonRoot.");
            Assert.True(container.BooleanAt("securityContext.readOnlyRootFilesystem"), $"Container {name} has a writable root filesystem.");
            Assert.False(container.BooleanAt("securityContext.allowPrivilegeEscalation") ?? true, $"Container {name} allows privilege escalation.");
            Assert.Equal(["ALL"], container.ArrayAt("securityContext.capabilities.drop").Select(item => item.GetString()));
            Assert.Empty(container.ArrayAt("securityContext.capabilities.add"));
            Assert.Equal("RuntimeDefault", container.StringAt("securityContext.seccompProfile.type"));
        }
    }

    [Theory]
    [MemberData(nameof(ChartRenderTests.ValueSets), MemberType = typeof(ChartRenderTests))]
    public void WritableMounts_ValueSet_AreOnlyTmp(string valueSet)
    {
        RenderResult render = ChartRenderTests.RenderValueSet(valueSet);

        IEnumerable<string?> writable = render.DaemonContainer.ArrayAt("volumeMounts")
            .Where(mount => mount.BooleanAt("readOnly") != true)
            .Select(mount => mount.StringAt("mountPath"));

        Assert.Equal(["/tmp"], writable);
        JsonElement tmp = render.PodSpec.ArrayAt("volumes").Single(volume => volume.StringAt("name") == "tmp");
        Assert.NotNull(tmp.At("emptyDir"));
    }

    [Theory]
    [MemberData(nameof(ChartRenderTests.ValueSets), MemberType = typeof(ChartRenderTests))]
    public void PredictionIdKey_ValueSet_ComesFromSecret(string valueSet)
    {
        RenderResult render = ChartRenderTests.RenderValueSet(valueSet);

        Assert.Equal($"{SecretsPath}/prediction-id-key", render.DaemonConfiguration["Monitor__Quality__PredictionIdKeyFile"]);
        JsonElement mount = render.DaemonContainer.ArrayAt("volumeMounts").Single(item => item.StringAt("mountPath") == SecretsPath);
        JsonElement volume = render.PodSpec.ArrayAt("volumes").Single(item => item.StringAt("name") == mount.StringAt("name"));
        JsonElement source = volume.ArrayAt("projected.sources")
            .Single(item => item.ArrayAt("secret.items").Any(entry => entry.StringAt("path") == "prediction-id-key"));
        string secretName = source.StringAt("secret.name")!;
        string secretKey = source.ArrayAt("secret.items")[0].StringAt("key")!;

        IReadOnlyList<Manifest> generated = [.. render.OfKind("Secret").Where(secret => secret.Name == secretName)];
        if (generated.Count == 1)
        {
            string encoded = generated[0].Object.StringAt($"data.{secretKey}")!;
            Assert.True(Convert.FromBase64String(encoded).Length >= 32, "The generated prediction id key is shorter than 32 bytes.");
        }
        else
        {
            // predictionIds.existingSecret: every example that sets it names this Secret.
            Assert.Equal("monitor-prediction-id", secretName);
        }
    }

    [Fact]
    public void Gpu_Example_RequestsGpuAndCudaImage()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("gpu.yaml");
        JsonElement container = render.DaemonContainer;

        Assert.Equal(1, container.At("resources.limits")!.Value.GetProperty("nvidia.com/gpu").GetInt32());
        Assert.EndsWith("-gpu", container.StringAt("image"), StringComparison.Ordinal);
        Assert.Equal("cuda", render.DaemonConfiguration["Monitor__ExecutionProvider"]);
        Assert.Equal("nvidia", render.PodSpec.StringAt("runtimeClassName"));
        Assert.Contains(render.PodSpec.ArrayAt("tolerations"), toleration => toleration.StringAt("key") == "nvidia.com/gpu");
        Assert.Equal("true", render.PodSpec.StringMapAt("nodeSelector")["nvidia.com/gpu.present"]);
    }

    [Fact]
    public void Gpu_CountTwo_SetsLimit()
    {
        RenderResult render = ChartRenderer.RenderValues("gpu:\n  enabled: true\n  count: 2\n").EnsureSuccess("gpu.count 2");

        Assert.Equal(2, render.DaemonContainer.At("resources.limits")!.Value.GetProperty("nvidia.com/gpu").GetInt32());
    }

    [Fact]
    public void Cpu_Default_RequestsNoGpu()
    {
        RenderResult render = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults);
        JsonElement container = render.DaemonContainer;

        Assert.False(container.StringMapAt("resources.limits").ContainsKey("nvidia.com/gpu"));
        Assert.False(container.StringMapAt("resources.requests").ContainsKey("nvidia.com/gpu"));
        Assert.DoesNotContain("-gpu", container.StringAt("image"), StringComparison.Ordinal);
        Assert.Equal("cpu", render.DaemonConfiguration["Monitor__ExecutionProvider"]);
        Assert.Empty(render.PodSpec.ArrayAt("tolerations"));
    }

    [Fact]
    public void PvcSource_Default_CreatesClaim()
    {
        RenderResult render = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults);

        string? claim = ModelsVolume(render).StringAt("persistentVolumeClaim.claimName");

        Assert.Equal(claim, render.Single("PersistentVolumeClaim").Name);
        Assert.True(ModelsVolume(render).BooleanAt("persistentVolumeClaim.readOnly"));
        Assert.Equal("/models", render.DaemonConfiguration["Monitor__ModelRepository"]);
    }

    [Fact]
    public void PvcSource_ExistingClaim_MountsSubPath()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("pvc.yaml");

        Assert.Equal("shared-models", ModelsVolume(render).StringAt("persistentVolumeClaim.claimName"));
        Assert.Empty(render.OfKind("PersistentVolumeClaim"));
        JsonElement mount = render.DaemonContainer.ArrayAt("volumeMounts").Single(item => item.StringAt("name") == "models");
        Assert.Equal("monitor", mount.StringAt("subPath"));
    }

    [Fact]
    public void ImageSource_Example_CopiesIntoEmptyDir()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("image-models.yaml");

        JsonElement copy = render.PodSpec.ArrayAt("initContainers").Single();
        Assert.Equal("registry.example.com/ml/iris-models:2024.06.1", copy.StringAt("image"));
        Assert.Equal(["cp", "-R", "/models/.", "/mnt/model-repository/"], copy.ArrayAt("command").Select(item => item.GetString()));
        Assert.Equal("/mnt/model-repository", copy.ArrayAt("volumeMounts").Single().StringAt("mountPath"));
        Assert.Equal("512Mi", ModelsVolume(render).StringAt("emptyDir.sizeLimit"));
        Assert.Empty(render.OfKind("PersistentVolumeClaim"));
    }

    [Fact]
    public void ConfigMapSource_Example_ProjectsItems()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("configmap-models.yaml");

        JsonElement source = ModelsVolume(render).ArrayAt("projected.sources").Single();
        Assert.Equal("iris-model", source.StringAt("configMap.name"));
        Assert.Equal(
            ["iris/1/model.onnx", "iris/monitor.json"],
            source.ArrayAt("configMap.items").Select(item => item.StringAt("path")));
        Assert.Empty(render.OfKind("PersistentVolumeClaim"));
    }

    [Fact]
    public void ApiKey_Operator_MountsSecretFile()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("operator.yaml");

        Assert.Equal($"{SecretsPath}/api-key", render.DaemonConfiguration["Monitor__ApiKeyFile"]);
        JsonElement secrets = render.PodSpec.ArrayAt("volumes").Single(volume => volume.StringAt("name") == "secrets");
        Assert.Contains(secrets.ArrayAt("projected.sources"), item => item.StringAt("secret.name") == "monitor-api-key");
        Assert.Empty(render.OfKind("Secret"));
    }

    [Fact]
    public void ApiKey_Default_IsNotConfigured()
    {
        RenderResult render = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults);

        Assert.False(render.DaemonConfiguration.ContainsKey("Monitor__ApiKeyFile"));
    }

    [Fact]
    public void Configuration_Default_SetsDaemonSettings()
    {
        IReadOnlyDictionary<string, string> configuration = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults).DaemonConfiguration;

        Assert.Equal("64", configuration["Monitor__Batching__MaxBatchSize"]);
        Assert.Equal("2", configuration["Monitor__Batching__MaxQueueDelayMilliseconds"]);
        Assert.Equal("1024", configuration["Monitor__Batching__QueueCapacity"]);
        Assert.Equal("20", configuration["Monitor__ShutdownGracePeriodSeconds"]);
        Assert.Equal("10", configuration["Monitor__RepositoryPollIntervalSeconds"]);
    }

    [Fact]
    public void Autoscaling_Operator_LeavesReplicasToHpa()
    {
        RenderResult render = ChartRenderTests.RenderValueSet("operator.yaml");
        JsonElement hpa = render.Single("HorizontalPodAutoscaler").Object;

        Assert.Null(render.Single("Deployment").Object.At("spec.replicas"));
        Assert.Equal(render.Single("Deployment").Name, hpa.StringAt("spec.scaleTargetRef.name"));
        Assert.Contains(
            hpa.ArrayAt("spec.metrics"),
            metric => metric.StringAt("pods.metric.name") == "monitor_inference_queue_depth");
        Assert.Contains(hpa.ArrayAt("spec.metrics"), metric => metric.StringAt("resource.name") == "cpu");
    }

    [Fact]
    public void TerminationGrace_Default_ExceedsShutdownGrace()
    {
        RenderResult render = ChartRenderTests.RenderValueSet(ChartRenderTests.Defaults);

        int termination = render.PodSpec.GetProperty("terminationGracePeriodSeconds").GetInt32();
        int shutdown = int.Parse(render.DaemonConfiguration["Monitor__ShutdownGracePeriodSeconds"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(termination > shutdown, $"terminationGracePeriodSeconds {termination} does not exceed the daemon's shutdown grace period {shutdown}.");
    }

    private static JsonElement ModelsVolume(RenderResult render) =>
        render.PodSpec.ArrayAt("volumes").Single(volume => volume.StringAt("name") == "models");

    /// <summary>Reads an integer constant of the daemon's options class, so the chart follows the daemon.</summary>
    private static int DaemonDefault(string constant)
    {
        string file = Path.Combine(ChartTools.RepositoryRoot, "src", "Monitor", "Hosting", "MonitorOptions.cs");
        Assert.True(File.Exists(file), $"'{file}' is missing; the test reads the daemon's default ports from it.");

        Match match = Regex.Match(File.ReadAllText(file), $@"\b{constant}\s*=\s*(\d+)\s*;");
        Assert.True(match.Success, $"'{file}' has no constant {constant}.");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
