using System.Net;
using System.Text.Json;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

/// <summary>Tests that need a daemon with settings or counters of their own.</summary>
public sealed class OwnDaemonTests
{
    [Fact]
    public async Task OversizedBodyIsRejectedWith413()
    {
        await using MonitorDaemon small = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("iris", Monitor.Testing.Fixtures.IrisMlp),
            new Dictionary<string, string?> { ["Monitor:MaxRequestBodyBytes"] = "2048" });
        string rows = string.Join(",", Enumerable.Repeat("[5.1,3.5,1.4,0.2]", 200));

        (HttpStatusCode status, JsonElement response) = await small.PostAsync("/v2/models/iris/infer", $$"""{"inputs":[{"name":"keras_tensor","shape":[200,4],"datatype":"FP32","data":[{{rows}}]}]}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("over the limit of 2048 bytes", response.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsCountRequestsByOutcome()
    {
        await using MonitorDaemon fresh = await MonitorDaemon.StartAsync(repository => repository.AddFixture("iris", Monitor.Testing.Fixtures.IrisMlp));
        const string good = """{"inputs": [{"name": "keras_tensor", "shape": [2, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]}]}""";
        for (int i = 0; i < 5; i++)
        {
            await fresh.PostAsync("/v2/models/iris/infer", good);
        }

        for (int i = 0; i < 3; i++)
        {
            await fresh.PostAsync("/v2/models/iris/infer", "{}");
        }

        await fresh.PostAsync("/v2/models/missing/infer", good);

        PrometheusScrape scrape = await fresh.ScrapeUntilAsync(scrape => scrape.Sum("monitor_inference_requests_total") >= 9);
        Assert.Equal(5, scrape.Sum("monitor_inference_requests_total", ("model", "iris"), ("outcome", "success")));
        Assert.Equal(3, scrape.Sum("monitor_inference_requests_total", ("model", "iris"), ("outcome", "bad_request")));
        Assert.Equal(1, scrape.Sum("monitor_inference_requests_total", ("outcome", "not_found")));
        Assert.Equal(10, scrape.Sum("monitor_inference_rows_total", ("model", "iris"), ("version", "1")));
        Assert.Equal(8, scrape.Sum("monitor_inference_request_duration_seconds_count", ("model", "iris")));
        Assert.True(scrape.Sum("monitor_inference_batch_size_count", ("model", "iris")) >= 3);
        Assert.Equal("counter", scrape.Types["monitor_inference_requests_total"]);
        Assert.DoesNotContain(scrape.Samples, sample => sample.Labels.TryGetValue("model", out string? model) && model == "missing");
    }
}
