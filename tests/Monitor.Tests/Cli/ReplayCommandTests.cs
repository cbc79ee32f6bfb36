using System.Globalization;
using System.Text.Json;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests.Cli;

[Collection(CommandLineCollection.Name)]
public sealed class ReplayCommandTests
{
    private static readonly Dictionary<string, string?> QuietLogs = new() { ["Logging:LogLevel:Default"] = "None" };

    [Fact]
    public async Task Replay_Iris_ScoresFeedback()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("iris", Fixtures.IrisMlp, settingsJson: """{ "classNames": ["setosa", "versicolor", "virginica"] }"""),
            QuietLogs);

        // a prediction id contains the time in milliseconds, class and confidence, so 10 ms between
        // requests keeps the ids of rows with equal predictions apart and every item is scored once
        CommandLineRun run = await CommandLineRun.InvokeAsync(
            "replay", Fixtures.PathOf(Fixtures.IrisCsv), "--url", Url(daemon), "--model", "iris",
            "--rate", "100", "--duration", "60", "--json");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Error}");
        JsonElement summary = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(150, summary.GetProperty("sent").GetInt64());
        Assert.Equal(150, summary.GetProperty("ok").GetInt64());
        Assert.Equal(0, summary.GetProperty("errors").GetInt64());
        Assert.Equal(150, summary.GetProperty("feedback_scored").GetInt64());
        Assert.Equal(146, summary.GetProperty("feedback_correct").GetInt64());
        Assert.Equal(146.0 / 150, summary.GetProperty("accuracy").GetDouble(), precision: 10);

        PrometheusScrape scrape = await daemon.ScrapeUntilAsync(scrape => scrape.Sum("monitor_feedback_total") >= 150);
        Assert.Equal(146, scrape.Sum("monitor_feedback_total", ("model", "iris"), ("outcome", "correct")));
        Assert.Equal(4, scrape.Sum("monitor_feedback_total", ("model", "iris"), ("outcome", "incorrect")));
    }

    [Fact]
    public async Task Replay_FeedbackDelay_SendsAfterDelay()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("iris", Fixtures.IrisMlp),
            QuietLogs);

        CommandLineRun run = await CommandLineRun.InvokeAsync(
            "replay", Fixtures.PathOf(Fixtures.IrisCsv), "--url", Url(daemon), "--model", "iris",
            "--rate", "100", "--count", "20", "--batch", "1", "--feedback-delay", "1", "--drift", "subset", "--json");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Error}");
        JsonElement summary = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(20, summary.GetProperty("ok").GetInt64());
        Assert.Equal(20, summary.GetProperty("feedback_sent").GetInt64());
        Assert.Equal(0, summary.GetProperty("feedback_pending").GetInt64());
        Assert.True(summary.GetProperty("seconds").GetDouble() >= 1.0, "feedback was sent before its delay.");

        PrometheusScrape scrape = await daemon.ScrapeUntilAsync(scrape => scrape.Sum("monitor_feedback_total") >= 20);
        Assert.Equal(20, scrape.Sum("monitor_feedback_total", ("model", "iris")));
    }

    [Fact]
    public async Task Replay_Duration_StopsRun()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("iris", Fixtures.IrisMlp),
            QuietLogs);

        CommandLineRun run = await CommandLineRun.InvokeAsync(
            "replay", Fixtures.PathOf(Fixtures.IrisCsv), "--url", Url(daemon), "--model", "iris",
            "--rate", "10", "--count", "1000", "--duration", "1", "--json");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Error}");
        JsonElement summary = JsonDocument.Parse(run.Output).RootElement;
        Assert.InRange(summary.GetProperty("sent").GetInt64(), 1, 11);
        Assert.InRange(summary.GetProperty("seconds").GetDouble(), 0.5, 5);
    }

    private static string Url(MonitorDaemon daemon) =>
        "http://127.0.0.1:" + daemon.HttpPort.ToString(CultureInfo.InvariantCulture);
}
