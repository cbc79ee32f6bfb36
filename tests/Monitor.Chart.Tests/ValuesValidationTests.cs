using Monitor.Chart.Tests.Support;

namespace Monitor.Chart.Tests;

/// <summary>
/// Invalid values must stop the install with a message that names the value, through
/// values.schema.json or the chart's own checks in templates/_helpers.tpl.
/// </summary>
public sealed class ValuesValidationTests
{
    public static TheoryData<string, string> InvalidValues() => new()
    {
        // An unknown GPU setting, for example a misspelt count.
        { "gpu:\n  enabled: true\n  cores: 2\n", "gpu: Additional property cores is not allowed" },
        { "gpu:\n  count: 0\n", "gpu.count: Must be greater than or equal to 1" },

        // No model source: null removes the key from the chart's defaults.
        { "modelRepository:\n  source: null\n", "modelRepository: source is required" },
        { "modelRepository:\n  source: \"\"\n", "modelRepository.source: modelRepository.source must be one of the following" },
        { "modelRepository:\n  source: s3\n", "modelRepository.source: modelRepository.source must be one of the following" },
        { "modelRepository:\n  source: image\n", "modelRepository.image.repository: String length must be greater than or equal to 1" },
        { "modelRepository:\n  source: configMap\n", "modelRepository.configMaps: Array must have at least 1 items" },

        // Two sources at once.
        {
            "modelRepository:\n  source: pvc\n  image:\n    repository: registry.example.com/models\n",
            "modelRepository.image.repository is set but modelRepository.source is \"pvc\""
        },
        {
            "modelRepository:\n  source: image\n  image:\n    repository: registry.example.com/models\n  pvc:\n    existingClaim: models\n",
            "modelRepository.pvc.existingClaim is set but modelRepository.source is \"image\""
        },

        { "replicaCount: -1\n", "replicaCount: Must be greater than or equal to 0" },
        { "replicaCount: 1.5\n", "replicaCount: Invalid type. Expected: integer" },
        { "replicas: 2\n", "(root): Additional property replicas is not allowed" },
        { "config:\n  httpPort: 70000\n", "config.httpPort: Must be less than or equal to 65535" },
        { "config:\n  metricsPort: 8000\n", "config.httpPort and config.metricsPort are both 8000" },
        { "config:\n  executionProvider: rocm\n", "config.executionProvider: config.executionProvider must be one of the following" },
        { "terminationGracePeriodSeconds: 15\n", "terminationGracePeriodSeconds (15) must be greater than config.shutdownGracePeriodSeconds" },
        { "image:\n  digest: latest\n", "image.digest: Does not match pattern" },
        {
            "autoscaling:\n  enabled: true\n  minReplicas: 4\n  maxReplicas: 2\n",
            "autoscaling.minReplicas (4) is greater than autoscaling.maxReplicas (2)"
        },
        {
            "autoscaling:\n  enabled: true\n  targetCPUUtilizationPercentage: 0\n",
            "autoscaling.enabled is true but no metric is set"
        },
        { "metrics:\n  serviceMonitor:\n    interval: 30 seconds\n", "metrics.serviceMonitor.interval: Does not match pattern" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Render_InvalidValues_FailsNamingValue(string valuesYaml, string expectedMessage)
    {
        RenderResult render = ChartRenderer.RenderValues(valuesYaml);

        Assert.NotEqual(0, render.ExitCode);
        Assert.Contains(expectedMessage, render.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NullSource_ReportsSchemaFailure()
    {
        RenderResult render = ChartRenderer.RenderValues("modelRepository:\n  source: null\n");

        Assert.StartsWith("Error: values don't meet the specifications of the schema(s)", render.Error, StringComparison.Ordinal);
    }
}
