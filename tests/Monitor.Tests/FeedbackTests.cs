using System.Net;
using System.Text.Json;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

public sealed class FeedbackTests : IAsyncLifetime
{
    private const string IrisRequest = """{"inputs":[{"name":"keras_tensor","shape":[2,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3]}]}""";

    private MonitorDaemon? daemon;

    private MonitorDaemon Daemon => this.daemon!;

    public async Task InitializeAsync()
    {
        this.daemon = await MonitorDaemon.StartAsync(
            repository =>
            {
                repository.AddFixture("iris", Fixtures.IrisMlp, settingsJson: """
                    { "classNames": ["setosa", "versicolor", "virginica"],
                      "evaluation": { "dataset": "iris.csv", "intervalSeconds": 3600 } }
                    """);
                File.CreateSymbolicLink(Path.Combine(repository.Root, "iris", "iris.csv"), Fixtures.PathOf(Fixtures.IrisCsv));
                repository.AddFixture("other", Fixtures.IrisMlp);
            },
            new Dictionary<string, string?> { ["Monitor:Quality:MaxFeedbackItems"] = "5", ["Monitor:Quality:PredictionIdMaxAgeHours"] = "0.0003" });
    }

    public async Task DisposeAsync() => await this.Daemon.DisposeAsync();

    [Fact]
    public async Task MixedBatchScoresGoodItems()
    {
        string[] ids = await this.PredictAsync("iris");
        string[] otherIds = await this.PredictAsync("other");
        string tampered = ids[1][..^3] + (ids[1][^3] == 'A' ? "B" : "A") + ids[1][^2..];

        (HttpStatusCode status, JsonElement body) = await this.Daemon.PostAsync("/v2/models/iris/feedback", $$"""
            [{"id":"{{ids[0]}}","label":"setosa"},
             {"id":"{{tampered}}","label":1},
             {"id":"{{otherIds[0]}}","label":0},
             {"id":"{{ids[1]}}","label":7},
             {"label":1}]
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("scored").GetInt32());
        Assert.Equal(4, body.GetProperty("rejected").GetInt32());
        string[] messages = body.GetProperty("results").EnumerateArray().Skip(1).Select(result => result.GetProperty("error").GetString()!).ToArray();
        Assert.Contains("signature", messages[0], StringComparison.Ordinal);
        Assert.Contains("belongs to model 'other'", messages[1], StringComparison.Ordinal);
        Assert.Contains("class index from 0 to 2", messages[2], StringComparison.Ordinal);
        Assert.Contains("'id' is missing", messages[3], StringComparison.Ordinal);
        PrometheusScrape scrape = await this.Daemon.ScrapeAsync();
        Assert.Equal(1, scrape.Sum("monitor_feedback_rejected_total", ("model", "iris"), ("reason", "invalid_signature")));
        Assert.Equal(1, scrape.Sum("monitor_feedback_rejected_total", ("model", "iris"), ("reason", "wrong_model")));
        Assert.Equal(1, scrape.Sum("monitor_feedback_rejected_total", ("model", "iris"), ("reason", "invalid_label")));
    }

    [Fact]
    public async Task SingleItemErrorsUseStatusCodes()
    {
        string[] ids = await this.PredictAsync("iris");

        string forgedId = ids[0][..^6] + (ids[0][^6] == 'Q' ? "R" : "Q") + ids[0][^5..];
        (HttpStatusCode forged, _) = await this.Daemon.PostAsync("/v2/models/iris/feedback", $$"""{"id":"{{forgedId}}","label":0}""");
        (HttpStatusCode malformed, _) = await this.Daemon.PostAsync("/v2/models/iris/feedback", """{"id":"not-an-id","label":0}""");
        (HttpStatusCode first, _) = await this.Daemon.PostAsync("/v2/models/iris/feedback", $$"""{"id":"{{ids[0]}}","label":0}""");
        (HttpStatusCode duplicate, JsonElement duplicateBody) = await this.Daemon.PostAsync("/v2/models/iris/feedback", $$"""{"id":"{{ids[0]}}","label":0}""");
        (HttpStatusCode unknownModel, _) = await this.Daemon.PostAsync("/v2/models/nope/feedback", $$"""{"id":"{{ids[1]}}","label":0}""");
        (HttpStatusCode notJson, _) = await this.Daemon.PostAsync("/v2/models/iris/feedback", "label=1");

        Assert.Equal(HttpStatusCode.Forbidden, forged);
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        Assert.Contains("already scored", duplicateBody.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownModel);
        Assert.Equal(HttpStatusCode.BadRequest, notJson);
    }

    [Fact]
    public async Task OversizedBatchIsRejected()
    {
        string items = string.Join(",", Enumerable.Repeat("""{"id":"x","label":0}""", 6));

        (HttpStatusCode status, JsonElement body) = await this.Daemon.PostAsync("/v2/models/iris/feedback", $"[{items}]");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("send 1 to 5", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredIdIsRejected()
    {
        string[] ids = await this.PredictAsync("iris");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        (HttpStatusCode status, JsonElement body) = await this.Daemon.PostAsync("/v2/models/iris/feedback", $$"""{"id":"{{ids[0]}}","label":0}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("expired", body.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CanaryEvaluationMatchesDocumentedAccuracy()
    {
        PrometheusScrape scrape = await this.Daemon.ScrapeUntilAsync(scrape => scrape.Has("monitor_canary_accuracy"));

        Assert.Equal(146.0 / 150.0, scrape.Sum("monitor_canary_accuracy", ("model", "iris"), ("dataset", "iris.csv")), 9);
        Assert.Equal(1, scrape.Sum("monitor_canary_runs_total", ("model", "iris"), ("outcome", "success")));
        Assert.True(scrape.Sum("monitor_canary_loss", ("model", "iris")) > 0);
    }

    private async Task<string[]> PredictAsync(string model)
    {
        (HttpStatusCode status, JsonElement body) = await this.Daemon.PostAsync($"/v2/models/{model}/infer", IrisRequest);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("parameters").GetProperty("prediction_ids").EnumerateArray().Select(id => id.GetString()!).ToArray();
    }
}
