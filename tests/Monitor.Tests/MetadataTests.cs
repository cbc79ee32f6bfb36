using System.Net;
using System.Text.Json;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

[Collection(ServingCollection.Name)]
public sealed class MetadataTests
{
    private readonly MonitorDaemon daemon;

    public MetadataTests(ServingDaemonFixture fixture)
    {
        this.daemon = fixture.Daemon;
    }

    [Fact]
    public async Task HealthLiveAndReady()
    {
        (HttpStatusCode liveStatus, _) = await this.daemon.GetAsync("/v2/health/live");
        (HttpStatusCode readyStatus, JsonElement ready) = await this.daemon.GetAsync("/v2/health/ready");

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.True(ready.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task ServerMetadataNamesMonitor()
    {
        (HttpStatusCode status, JsonElement body) = await this.daemon.GetAsync("/v2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("monitor", body.GetProperty("name").GetString());
        Assert.True(body.GetProperty("extensions").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData("/v2/models/mnist-cnn")]
    [InlineData("/v2/models/mnist-cnn/versions/1")]
    public async Task ModelMetadataShowsKerasSignature(string path)
    {
        (HttpStatusCode status, JsonElement body) = await this.daemon.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement input = body.GetProperty("inputs")[0];
        Assert.Equal("conv2d_5_input", input.GetProperty("name").GetString());
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        Assert.Equal([-1, 28, 28, 1], input.GetProperty("shape").EnumerateArray().Select(dimension => dimension.GetInt64()));
        Assert.Equal([-1, 10], body.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(dimension => dimension.GetInt64()));
        Assert.Equal(["1"], body.GetProperty("versions").EnumerateArray().Select(version => version.GetString()));
        JsonElement parameters = body.GetProperty("parameters");
        Assert.Equal("CPUExecutionProvider", parameters.GetProperty("execution_provider").GetString());
        Assert.Equal("classification", parameters.GetProperty("task").GetString());
        Assert.Equal("keras2onnx", parameters.GetProperty("producer").GetString());
    }

    [Fact]
    public async Task SymbolicBatchDimensionIsDynamic()
    {
        (_, JsonElement body) = await this.daemon.GetAsync("/v2/models/iris");

        Assert.Equal(-1, body.GetProperty("inputs")[0].GetProperty("shape")[0].GetInt64());
        Assert.True(body.GetProperty("parameters").GetProperty("batching").GetBoolean());
    }

    [Theory]
    [InlineData("/v2/models/iris/ready", HttpStatusCode.OK)]
    [InlineData("/v2/models/iris/versions/1/ready", HttpStatusCode.OK)]
    [InlineData("/v2/models/iris/versions/2/ready", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/v2/models/broken/ready", HttpStatusCode.ServiceUnavailable)]
    public async Task ModelReadiness(string path, HttpStatusCode expected)
    {
        (HttpStatusCode status, _) = await this.daemon.GetAsync(path);

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task UnknownModelMetadataIs404()
    {
        (HttpStatusCode status, JsonElement body) = await this.daemon.GetAsync("/v2/models/nope");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("iris", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsPortServesOnlyMetrics()
    {
        using HttpResponseMessage health = await this.daemon.MetricsClient.GetAsync("/v2/health/live");
        using HttpResponseMessage metricsOnApi = await this.daemon.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metricsOnApi.StatusCode);
    }

    [Fact]
    public async Task BrokenModelCountsLoadFailure()
    {
        PrometheusScrape scrape = await this.daemon.ScrapeAsync();

        Assert.Equal(1, scrape.Sum("monitor_model_load_failures_total", ("model", "broken")));
        Assert.Equal(1, scrape.Sum("monitor_model_loaded", ("model", "iris"), ("provider", "CPUExecutionProvider")));
        Assert.Equal(0, scrape.Sum("monitor_model_loaded", ("model", "broken")));
    }
}
