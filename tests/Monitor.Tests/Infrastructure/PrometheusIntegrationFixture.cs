using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Gpu;
using Monitor.Observability.Tests;
using Monitor.Quality;
using Monitor.Testing;

namespace Monitor.Tests.Infrastructure;

/// <summary>
/// A daemon serving classifiers, a regression model and models that fail in known ways, a real
/// Prometheus that scrapes it every second with the chart's rules loaded, and two rounds of
/// traffic with feedback. Tests then read what Prometheus computed.
/// </summary>
/// <remarks>
/// Prometheus's <c>rate</c> and <c>increase</c> skip the first sample of a new series, so every
/// series is created in the first round and grows in the second.
/// </remarks>
public sealed partial class PrometheusIntegrationFixture : IAsyncLifetime
{
    public const string JobName = "monitor";

    /// <summary>MNIST MLP fed unseen rows of the test set.</summary>
    public const string Steady = "steady";

    /// <summary>MNIST MLP fed the digits 0 to 4 only.</summary>
    public const string Shifted = "shifted";

    /// <summary>
    /// MNIST MLP configured to scale pixels by 0.05, although it takes raw 0..255 pixels. On test
    /// rows 5000 to 5999 that gives 54% accuracy at a mean confidence of 0.73, against 99% and 0.99.
    /// </summary>
    public const string Misscaled = "misscaled";

    public const string Iris = "iris";

    /// <summary>Regression model y = 2x + 1.</summary>
    public const string Linear = "linear";

    /// <summary>Iris with a 2-request queue and a 300 ms batching delay, so requests are slow or rejected.</summary>
    public const string Queued = "queued";

    /// <summary>Model that fails on inputs of 3 or more. Once its circuit breaker opens, it stays open for the run.</summary>
    public const string Flaky = "flaky";

    /// <summary>A model file that is not ONNX, so its load fails.</summary>
    public const string Broken = "broken";

    public const string MnistInput = "flatten_input";

    private const string IrisRow = """{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}""";

    private const float MisscaledInputScale = 0.05f;

    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    private MonitorDaemon? daemon;
    private EmptyMetricsTarget? emptyTarget;
    private PrometheusServer? prometheus;

    public MonitorDaemon Daemon => this.daemon ?? throw new InvalidOperationException("The daemon has not started.");

    public PrometheusServer Prometheus => this.prometheus ?? throw new InvalidOperationException("Prometheus has not started.");

    /// <summary>Gets the daemon's scrape target as Prometheus labels it, <c>instance="127.0.0.1:port"</c>.</summary>
    public string DaemonInstance => $"127.0.0.1:{this.Daemon.MetricsPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Gets the time the first round of traffic started, the start of range queries.</summary>
    public DateTimeOffset TrafficStart { get; private set; }

    /// <summary>Gets whether NVML loaded, so that the daemon exports GPU metrics.</summary>
    public bool HasNvml { get; private set; }

    public IReadOnlyList<MnistStream> LabelledStreams { get; private set; } = [];

    public async Task InitializeAsync()
    {
        try
        {
            await this.StartAndSendTrafficAsync();
        }
        catch
        {
            // a daemon left running would add its metrics to those of later tests
            await this.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (this.prometheus is not null)
        {
            await this.prometheus.DisposeAsync();
            this.prometheus = null;
        }

        if (this.emptyTarget is not null)
        {
            await this.emptyTarget.DisposeAsync();
            this.emptyTarget = null;
        }

        if (this.daemon is not null)
        {
            await this.daemon.DisposeAsync();
            this.daemon = null;
        }
    }

    private async Task StartAndSendTrafficAsync()
    {
        LabelledDataset mnist = MnistData.TestSet;
        string reference = BuildReference(0, 5000);
        int[] lowDigits = Enumerable.Range(6000, 4000).Where(row => mnist.ClassLabels![row] < 5).Take(1000).ToArray();
        MnistStream steady = MnistStream.Create(Steady, Enumerable.Range(5000, 1000).ToArray(), 1f, 200);
        MnistStream shifted = MnistStream.Create(Shifted, lowDigits, 1f, 200);
        MnistStream misscaled = MnistStream.Create(Misscaled, Enumerable.Range(0, 200).ToArray(), MisscaledInputScale, 100);
        this.LabelledStreams = [steady, shifted, misscaled];

        this.daemon = await MonitorDaemon.StartAsync(
            repository => AddModels(repository, reference),
            new Dictionary<string, string?>
            {
                ["Monitor:Quality:WindowSize"] = "1000",
                ["Monitor:CircuitBreaker:MinimumThroughput"] = "3",
                ["Monitor:CircuitBreaker:BreakDurationSeconds"] = "600",
            });
        this.HasNvml = this.Daemon.Services.GetRequiredService<GpuMetrics>().UnavailableReason is null;

        // Besides the daemon, the job has a replica that serves no model and one that is down,
        // so that the availability alerts have something to find.
        this.emptyTarget = await EmptyMetricsTarget.StartAsync();
        int downPort = LoopbackPorts.Free();
        string[] targets = [this.DaemonInstance, $"127.0.0.1:{this.emptyTarget.Port}", $"127.0.0.1:{downPort}"];
        this.prometheus = await PrometheusServer.StartAsync(JobName, targets, RulesWithShortFor(), ScrapeInterval);
        await this.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow);

        this.TrafficStart = DateTimeOffset.UtcNow;
        for (int round = 0; round < 2; round++)
        {
            await this.SendRoundAsync(round);
            await this.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow);
        }

        await this.WaitForRuleEvaluationsAsync(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(4));
    }

    /// <summary>Runs an instant query and returns the value of its only series, or NaN when it has none.</summary>
    public async Task<double> QueryScalarAsync(string expression)
    {
        PrometheusQueryResult result = await this.Prometheus.QueryAsync(expression);
        return result.Series.Count == 1 ? result.Series[0].Values[^1] : double.NaN;
    }

    private static void AddModels(RepositoryBuilder repository, string reference)
    {
        repository.AddFixture(Steady, Fixtures.MnistMlp);
        repository.AddFixture(Shifted, Fixtures.MnistMlp);
        repository.AddFixture(Misscaled, Fixtures.MnistMlp, settingsJson: $$"""
            { "input": { "scale": {{MisscaledInputScale.ToString("R", CultureInfo.InvariantCulture)}} },
              "evaluation": { "dataset": "{{Fixtures.MnistImages}}", "labels": "{{Fixtures.MnistLabels}}", "limit": 1000, "intervalSeconds": 3600 } }
            """);
        foreach (string model in new[] { Steady, Shifted, Misscaled })
        {
            File.WriteAllText(Path.Combine(repository.Root, model, ModelQuality.ReferenceFileName), reference);
        }

        foreach (string dataset in new[] { Fixtures.MnistImages, Fixtures.MnistLabels })
        {
            File.CreateSymbolicLink(Path.Combine(repository.Root, Misscaled, dataset), Fixtures.PathOf(dataset));
        }

        repository.AddFixture(Iris, Fixtures.IrisMlp, settingsJson: """{ "classNames": ["setosa", "versicolor", "virginica"] }""");
        repository.AddFixture(Queued, Fixtures.IrisMlp, settingsJson: """
            { "batching": { "maxBatchSize": 1000, "maxQueueDelayMilliseconds": 300, "queueCapacity": 2 } }
            """);
        repository.AddFile(Linear, TestModels.Linear());
        repository.AddFile(Flaky, TestModels.FailsOnLargeValues());
        File.WriteAllText(Path.Combine(repository.Root, Flaky, "monitor.json"), """{ "batching": { "enabled": false } }""");
        repository.AddFile(Broken, "this is not an ONNX model"u8.ToArray());
    }

    /// <summary>Builds the reference profile of the MNIST MLP from its offline predictions of the given rows.</summary>
    private static string BuildReference(int first, int count)
    {
        int[] labels = MnistData.TestSet.ClassLabels!;
        (int Class, float Confidence)[] predictions = MnistData.PredictInProcess(Fixtures.MnistMlp, 1f, first, count);
        ReferenceProfileBuilder builder = new(Enumerable.Range(0, 10).Select(digit => digit.ToString(CultureInfo.InvariantCulture)).ToArray());
        for (int row = 0; row < count; row++)
        {
            builder.Add(predictions[row].Class, predictions[row].Confidence, labels[first + row]);
        }

        return builder.Build().ToJson();
    }

    /// <summary>
    /// Returns the chart's rules with every alert's <c>for</c> duration cut to 1 s, so that alerts
    /// turn pending and firing within the test. The expressions are left as they are.
    /// </summary>
    private static string RulesWithShortFor()
    {
        string text = File.ReadAllText(RepositoryPaths.RulesFile);
        int alertsWithFor = RulesFile.Load(RepositoryPaths.RulesFile).Alerts.Count(alert => alert.For is not null);
        int matches = ForDuration().Count(text);
        if (matches != alertsWithFor)
        {
            throw new InvalidDataException(
                $"'{RepositoryPaths.RulesFile}' has {alertsWithFor} alerts with a for duration but {matches} lines that look like 'for: <duration>'.");
        }

        return ForDuration().Replace(text, "${indent}for: 1s");
    }

    private async Task SendRoundAsync(int round)
    {
        foreach (MnistStream stream in this.LabelledStreams)
        {
            IReadOnlyList<int> rows = stream.RoundRows(round);
            for (int start = 0; start < rows.Count; start += 100)
            {
                await this.InferWithFeedbackAsync(stream.Model, rows.Skip(start).Take(100).ToArray());
            }
        }

        await this.SendRegressionAsync();
        for (int i = 0; i < 4; i++)
        {
            await this.ExpectStatusAsync(Iris, IrisRow, HttpStatusCode.OK);
        }

        await this.SendQueuedBurstAsync();
        await this.SendFlakyAsync(round);
        await this.SendBadRequestsAsync();
    }

    private async Task InferWithFeedbackAsync(string model, int[] rows)
    {
        (HttpStatusCode status, JsonElement body) = await this.Daemon.PostAsync($"/v2/models/{model}/infer", MnistData.InferRequest(MnistInput, rows));
        Assert.True(status == HttpStatusCode.OK, $"Inference on '{model}' returned {status}: {body}");
        string[] ids = PredictionIds(body);
        int[] labels = MnistData.TestSet.ClassLabels!;
        string feedback = "[" + string.Join(",", rows.Select((row, i) => $$"""{"id":"{{ids[i]}}","label":{{labels[row]}}}""")) + "]";

        (HttpStatusCode feedbackStatus, JsonElement scored) = await this.Daemon.PostAsync($"/v2/models/{model}/feedback", feedback);
        Assert.True(feedbackStatus == HttpStatusCode.OK, $"Feedback on '{model}' returned {feedbackStatus}: {scored}");
        Assert.Equal(rows.Length, scored.GetProperty("scored").GetInt32());
    }

    /// <summary>Infers five values with the regression model and sends labels 0.5 above each prediction.</summary>
    private async Task SendRegressionAsync()
    {
        (HttpStatusCode status, JsonElement body) = await this.Daemon.PostAsync($"/v2/models/{Linear}/infer",
            """{"inputs":[{"name":"x","shape":[5,1],"datatype":"FP32","data":[1,2,3,4,5]}]}""");
        Assert.True(status == HttpStatusCode.OK, $"Inference on '{Linear}' returned {status}: {body}");
        string[] ids = PredictionIds(body);
        string feedback = "[" + string.Join(",", ids.Select((id, i) => $$"""{"id":"{{id}}","label":{{(2 * (i + 1)) + 1.5}}}""")) + "]";

        (HttpStatusCode feedbackStatus, JsonElement scored) = await this.Daemon.PostAsync($"/v2/models/{Linear}/feedback", feedback);
        Assert.True(feedbackStatus == HttpStatusCode.OK, $"Feedback on '{Linear}' returned {feedbackStatus}: {scored}");
    }

    /// <summary>Sends 12 requests at once to a model that queues 2, so most are rejected and the rest wait 300 ms.</summary>
    private async Task SendQueuedBurstAsync()
    {
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => this.Daemon.PostJsonAsync($"/v2/models/{Queued}/infer", IrisRow)));
        HttpStatusCode[] statuses = responses.Select(response => response.StatusCode).ToArray();
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    /// <summary>
    /// Opens the flaky model's circuit in the first round with three failing runs, then sends valid
    /// requests that the open circuit answers with 503.
    /// </summary>
    private async Task SendFlakyAsync(int round)
    {
        const string failing = """{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[5,5,5,5]}]}""";
        const string valid = """{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[0,1,2,1]}]}""";
        if (round == 0)
        {
            for (int i = 0; i < 3; i++)
            {
                await this.ExpectStatusAsync(Flaky, failing, HttpStatusCode.InternalServerError);
            }
        }

        for (int i = 0; i < (round == 0 ? 2 : 30); i++)
        {
            await this.ExpectStatusAsync(Flaky, valid, HttpStatusCode.ServiceUnavailable);
        }
    }

    /// <summary>Sends requests that the daemon rejects: a wrong shape, an unknown model, bad JSON and bad feedback.</summary>
    private async Task SendBadRequestsAsync()
    {
        await this.ExpectStatusAsync(Steady, """{"inputs":[{"name":"flatten_input","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""", HttpStatusCode.BadRequest);
        await this.ExpectStatusAsync("missing", IrisRow, HttpStatusCode.NotFound);
        await this.ExpectStatusAsync(Iris, "{\"inputs\":", HttpStatusCode.BadRequest);

        using HttpResponseMessage malformed = await this.Daemon.PostJsonAsync($"/v2/models/{Steady}/feedback", """{"id":"not-an-id","label":1}""");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    private async Task ExpectStatusAsync(string model, string request, HttpStatusCode expected)
    {
        using HttpResponseMessage response = await this.Daemon.PostJsonAsync($"/v2/models/{model}/infer", request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Inference on '{model}' returned {response.StatusCode}, expected {expected}: {body}");
    }

    private static string[] PredictionIds(JsonElement body) =>
        body.GetProperty("parameters").GetProperty("prediction_ids").EnumerateArray().Select(id => id.GetString()!).ToArray();

    /// <summary>
    /// Waits until Prometheus holds a scrape of the daemon that started at least one second after
    /// <paramref name="time"/>. Request metrics are recorded just after the response is written,
    /// and the margin covers that.
    /// </summary>
    private async Task WaitForScrapeAfterAsync(DateTimeOffset time)
    {
        double minTimestamp = (time + TimeSpan.FromSeconds(1)).ToUnixTimeMilliseconds() / 1000.0;
        string expression = $"timestamp(up{{job=\"{JobName}\", instance=\"{this.DaemonInstance}\"}} == 1)";
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await this.QueryScalarAsync(expression) >= minTimestamp)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Prometheus did not scrape the daemon at {this.DaemonInstance} within 20 s. Its log:\n{this.Prometheus.Log}");
    }

    /// <summary>
    /// Waits until every rule group was evaluated after <paramref name="time"/>. Four evaluations
    /// after the last scrape are enough for recording rules to update, for alerts that read them
    /// to turn pending, and for those to fire after the 1 s <c>for</c> duration.
    /// </summary>
    private async Task WaitForRuleEvaluationsAsync(DateTimeOffset time)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await this.Prometheus.OldestRuleEvaluationAsync() >= time)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Prometheus did not evaluate every rule group after {time:O} within 20 s. Its log:\n{this.Prometheus.Log}");
    }

    [GeneratedRegex(@"^(?<indent>[ ]+)for: *\S+ *$", RegexOptions.Multiline)]
    private static partial Regex ForDuration();
}
