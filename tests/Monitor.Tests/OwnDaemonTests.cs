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

    [Fact]
    public async Task BrokenEvaluationDatasetKeepsDaemonServing()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository =>
        {
            repository.AddFixture("iris", Monitor.Testing.Fixtures.IrisMlp, settingsJson: """{ "evaluation": { "dataset": "labels.csv", "intervalSeconds": 1 } }""");
            File.WriteAllText(Path.Combine(repository.Root, "iris", "labels.csv"), "a,b,label\n1,2,0\n5,6,1\n");
        });

        PrometheusScrape scrape = await daemon.ScrapeUntilAsync(scrape => scrape.Has("monitor_canary_runs_total"));
        (HttpStatusCode status, _) = await daemon.PostAsync("/v2/models/iris/infer", """{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}""");

        Assert.True(scrape.Sum("monitor_canary_runs_total", ("model", "iris"), ("outcome", "failure")) >= 1, scrape.Text);
        Assert.False(scrape.Has("monitor_canary_accuracy"), "a failed evaluation must not leave an accuracy behind");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task HugeRegressionLabelIsRejected()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository => repository.AddFile("linear", TestModels.Linear()));
        (_, JsonElement body) = await daemon.PostAsync("/v2/models/linear/infer", """{"inputs":[{"name":"x","shape":[1,1],"datatype":"FP32","data":[1]}]}""");
        string id = body.GetProperty("parameters").GetProperty("prediction_ids")[0].GetString()!;

        (HttpStatusCode status, JsonElement error) = await daemon.PostAsync("/v2/models/linear/feedback", $$"""{"id":"{{id}}","label":1e308}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("float32 range", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await daemon.ScrapeAsync()).Sum("monitor_feedback_squared_error_total"));
    }

    [Fact]
    public async Task SigmoidOutputIsBinaryClassification()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository =>
        {
            repository.AddFile("binary", TestModels.Sigmoid());
            File.WriteAllText(Path.Combine(repository.Root, "binary", "monitor.json"), """{ "task": "classification", "classNames": ["negative", "positive"] }""");
        });

        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync("/v2/models/binary/infer",
            """{"parameters":{"classification":true},"inputs":[{"name":"x","shape":[2,1],"datatype":"FP32","data":[1,-2]}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement parameters = body.GetProperty("parameters");
        Assert.Equal(["positive", "negative"], parameters.GetProperty("predicted_label").EnumerateArray().Select(label => label.GetString()));
        Assert.Equal(0.9526, parameters.GetProperty("confidence")[0].GetDouble(), 3);
        Assert.Equal(0.9526, parameters.GetProperty("confidence")[1].GetDouble(), 3);
    }

    [Theory]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("::1", "::1")]
    public void ListenAddressParses(string value, string expected)
    {
        Assert.Equal(expected, Monitor.Hosting.MonitorServer.ParseListenAddress(value)?.ToString());
    }

    [Fact]
    public void ListenHostNameIsRejected()
    {
        Assert.Null(Monitor.Hosting.MonitorServer.ParseListenAddress("example.internal"));
    }
}
