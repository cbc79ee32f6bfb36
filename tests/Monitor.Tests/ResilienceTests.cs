using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

[Collection(IsolatedCollection.Name)]
public sealed class ResilienceTests
{
    private static readonly float[][] IrisRows =
    [
        [5.1f, 3.5f, 1.4f, 0.2f], [4.9f, 3.0f, 1.4f, 0.2f], [7.0f, 3.2f, 4.7f, 1.4f], [6.4f, 3.2f, 4.5f, 1.5f],
        [6.3f, 3.3f, 6.0f, 2.5f], [5.8f, 2.7f, 5.1f, 1.9f], [5.7f, 2.8f, 4.1f, 1.3f], [6.5f, 3.0f, 5.8f, 2.2f],
        [5.0f, 3.6f, 1.4f, 0.2f], [5.5f, 2.3f, 4.0f, 1.3f], [6.9f, 3.1f, 5.4f, 2.1f], [4.6f, 3.4f, 1.4f, 0.3f],
        [6.7f, 3.1f, 4.4f, 1.4f], [7.7f, 3.8f, 6.7f, 2.2f], [5.4f, 3.9f, 1.7f, 0.4f], [6.0f, 2.2f, 4.0f, 1.0f],
    ];

    [Fact]
    public async Task BatchingStacksConcurrentRequests()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("iris", Fixtures.IrisMlp),
            new Dictionary<string, string?> { ["Monitor:Batching:MaxQueueDelayMilliseconds"] = "200", ["Monitor:Batching:MaxBatchSize"] = "64" });

        float[][] results = await Task.WhenAll(IrisRows.Select(row => InferIrisAsync(daemon, row)));

        float[][] expected = RunInProcess(IrisRows);
        for (int i = 0; i < IrisRows.Length; i++)
        {
            Assert.Equal(expected[i], results[i]);
        }

        PrometheusScrape scrape = await daemon.ScrapeAsync();
        Assert.Equal(IrisRows.Length, scrape.Sum("monitor_inference_batch_size_sum", ("model", "iris")));
        Assert.True(scrape.Sum("monitor_inference_batch_size_count", ("model", "iris")) < IrisRows.Length / 2);
        Assert.True(scrape.Sum("monitor_inference_queue_duration_seconds_count", ("model", "iris")) >= IrisRows.Length);
    }

    [Fact]
    public async Task LoneRequestsWaitForBatchEachTime()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("iris", Fixtures.IrisMlp),
            new Dictionary<string, string?> { ["Monitor:Batching:MaxQueueDelayMilliseconds"] = "200", ["Monitor:Batching:MaxBatchSize"] = "64" });

        // each request is alone in its batch, so each waits the full delay for others
        List<double> seconds = [];
        for (int i = 0; i < 3; i++)
        {
            Stopwatch stopwatch = Stopwatch.StartNew();
            await InferIrisAsync(daemon, IrisRows[i]);
            seconds.Add(stopwatch.Elapsed.TotalSeconds);
        }

        Assert.All(seconds, elapsed => Assert.True(elapsed >= 0.18, $"A lone request took {elapsed:F3} s, less than the 200 ms batching delay."));
        PrometheusScrape scrape = await daemon.ScrapeUntilAsync(scrape => scrape.Sum("monitor_inference_queue_duration_seconds_count", ("model", "iris")) >= 3);
        Assert.True(
            scrape.Sum("monitor_inference_queue_duration_seconds_sum", ("model", "iris")) >= 3 * 0.18,
            "Queue wait must include the time a request spends in a batch that is still forming.");
    }

    [Fact]
    public async Task BatchingOffRunsEachRequestAlone()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("iris", Fixtures.IrisMlp, settingsJson: """{ "batching": { "enabled": false } }"""));

        float[][] results = await Task.WhenAll(IrisRows.Select(row => InferIrisAsync(daemon, row)));

        Assert.Equal(RunInProcess(IrisRows), results);
        PrometheusScrape scrape = await daemon.ScrapeAsync();
        Assert.Equal(IrisRows.Length, scrape.Sum("monitor_inference_batch_size_count", ("model", "iris")));
        (_, JsonElement metadata) = await daemon.GetAsync("/v2/models/iris");
        Assert.False(metadata.GetProperty("parameters").GetProperty("batching").GetBoolean());
    }

    [Fact]
    public async Task FullQueueAnswers429WithRetryAfter()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("iris", Fixtures.IrisMlp),
            new Dictionary<string, string?>
            {
                ["Monitor:Batching:QueueCapacity"] = "4",
                ["Monitor:Batching:MaxQueueDelayMilliseconds"] = "500",
                ["Monitor:Batching:MaxBatchSize"] = "1000",
            });

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => daemon.PostJsonAsync("/v2/models/iris/infer", IrisRequest(IrisRows[i % IrisRows.Length]))));

        int accepted = responses.Count(response => response.StatusCode == HttpStatusCode.OK);
        HttpResponseMessage[] rejected = responses.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.Equal(30, accepted + rejected.Length);
        Assert.InRange(accepted, 1, 8);
        Assert.All(rejected, response => Assert.True(response.Headers.RetryAfter is not null));
        PrometheusScrape scrape = await daemon.ScrapeUntilAsync(scrape => scrape.Sum("monitor_inference_requests_total") >= 30);
        Assert.Equal(rejected.Length, scrape.Sum("monitor_inference_rejected_requests_total", ("model", "iris"), ("reason", "queue_full")));
        Assert.Equal(rejected.Length, scrape.Sum("monitor_inference_requests_total", ("model", "iris"), ("outcome", "rejected")));
    }

    [Fact]
    public async Task ExpiredRequestIsDroppedBeforeCompute()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("iris", Fixtures.IrisMlp),
            new Dictionary<string, string?>
            {
                ["Monitor:InferenceTimeoutSeconds"] = "0.2",
                ["Monitor:Batching:MaxQueueDelayMilliseconds"] = "1000",
                ["Monitor:Batching:MaxBatchSize"] = "1000",
            });

        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync("/v2/models/iris/infer", IrisRequest(IrisRows[0]));
        await Task.Delay(1500);

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Contains("did not answer within 0.2 s", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        PrometheusScrape scrape = await daemon.ScrapeUntilAsync(scrape => scrape.Sum("monitor_inference_requests_total") >= 1);
        Assert.Equal(0, scrape.Sum("monitor_inference_batch_size_count", ("model", "iris")));
        Assert.Equal(1, scrape.Sum("monitor_inference_requests_total", ("model", "iris"), ("outcome", "timeout")));
    }

    [Fact]
    public async Task FailingModelOpensCircuitThenRecovers()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository =>
            {
                repository.AddFile("flaky", TestModels.FailsOnLargeValues());
                repository.AddFixture("iris", Fixtures.IrisMlp);
            },
            new Dictionary<string, string?>
            {
                ["Monitor:Batching:Enabled"] = "false",
                ["Monitor:CircuitBreaker:MinimumThroughput"] = "3",
                ["Monitor:CircuitBreaker:BreakDurationSeconds"] = "1",
            });
        const string bad = """{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[5,5,5,5]}]}""";
        const string good = """{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[0,1,2,1]}]}""";

        List<HttpStatusCode> failures = [];
        for (int i = 0; i < 3; i++)
        {
            failures.Add((await daemon.PostAsync("/v2/models/flaky/infer", bad)).Status);
        }

        using HttpResponseMessage open = await daemon.PostJsonAsync("/v2/models/flaky/infer", good);
        PrometheusScrape whileOpen = await daemon.ScrapeAsync();
        (HttpStatusCode otherModel, _) = await daemon.PostAsync("/v2/models/iris/infer", IrisRequest(IrisRows[0]));
        await Task.Delay(1300);
        (HttpStatusCode recovered, JsonElement output) = await daemon.PostAsync("/v2/models/flaky/infer", good);

        Assert.All(failures, status => Assert.Equal(HttpStatusCode.InternalServerError, status));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, open.StatusCode);
        Assert.NotNull(open.Headers.RetryAfter);
        Assert.Equal(1, whileOpen.Sum("monitor_inference_circuit_state", ("model", "flaky")));
        Assert.Equal(1, whileOpen.Sum("monitor_inference_rejected_requests_total", ("model", "flaky"), ("reason", "circuit_open")));
        Assert.Equal(HttpStatusCode.OK, otherModel);
        Assert.Equal(HttpStatusCode.OK, recovered);
        Assert.Equal([10f, 20f, 30f, 20f], output.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(value => value.GetSingle()));
        Assert.Equal(0, (await daemon.ScrapeAsync()).Sum("monitor_inference_circuit_state", ("model", "flaky")));
        Assert.Contains("resilience_polly_strategy_events_total", (await daemon.ScrapeAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FloodIsAnsweredWithBoundedMemory()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("mnist", Fixtures.MnistMlp),
            new Dictionary<string, string?> { ["Monitor:Batching:QueueCapacity"] = "16", ["Monitor:InferenceTimeoutSeconds"] = "5" });
        string request = "{\"inputs\":[{\"name\":\"flatten_input\",\"shape\":[1,28,28,1],\"datatype\":\"FP32\",\"data\":["
            + string.Join(",", Enumerable.Range(0, 784).Select(i => (i % 255).ToString(CultureInfo.InvariantCulture))) + "]}]}";
        using Process process = Process.GetCurrentProcess();
        long before = process.WorkingSet64;

        Dictionary<HttpStatusCode, int> statuses = [];
        using SemaphoreSlim concurrency = new(64);
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(async _ =>
        {
            await concurrency.WaitAsync();
            try
            {
                using HttpResponseMessage response = await daemon.PostJsonAsync("/v2/models/mnist/infer", request);
                lock (statuses)
                {
                    statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                }
            }
            finally
            {
                concurrency.Release();
            }
        }));

        process.Refresh();
        Assert.Equal(2000, statuses.Values.Sum());
        Assert.All(statuses.Keys, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.GatewayTimeout }));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 0);
        Assert.True(process.WorkingSet64 - before < 400L << 20, $"Working set grew by {(process.WorkingSet64 - before) >> 20} MiB.");
        (HttpStatusCode health, _) = await daemon.GetAsync("/v2/health/ready");
        Assert.Equal(HttpStatusCode.OK, health);
    }

    private static string IrisRequest(float[] row) =>
        "{\"inputs\":[{\"name\":\"keras_tensor\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":["
        + string.Join(",", row.Select(value => value.ToString("R", CultureInfo.InvariantCulture))) + "]}]}";

    private static async Task<float[]> InferIrisAsync(MonitorDaemon daemon, float[] row)
    {
        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync("/v2/models/iris/infer", IrisRequest(row));
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(value => value.GetSingle()).ToArray();
    }

    /// <summary>Runs each row alone through ONNX Runtime in this process, as the reference for served outputs.</summary>
    private static float[][] RunInProcess(float[][] rows)
    {
        using InferenceSession session = new(Fixtures.PathOf(Fixtures.IrisMlp));
        return rows.Select(row =>
        {
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(row, [1, 4]);
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), ["keras_tensor"], [input], ["output_0"]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }).ToArray();
    }
}
