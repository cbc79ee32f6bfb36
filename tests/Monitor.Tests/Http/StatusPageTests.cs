using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Monitor.Http;
using Monitor.Quality;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests.Http;

public sealed class StatusPageTests
{
    private const string Model = "iris";
    private const int Requests = 40;

    [Fact]
    public async Task StatusData_AfterTraffic_HasChartData()
    {
        await using MonitorDaemon daemon = await StartDaemonAsync();
        await SendTrafficAsync(daemon);

        JsonElement model = await WaitForChartDataAsync(daemon);

        Assert.True(model.GetProperty("ready").GetBoolean());
        JsonElement version = model.GetProperty("versions")[0];
        Assert.Equal("1", version.GetProperty("version").GetString());
        Assert.Equal("READY", version.GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(version.GetProperty("provider").GetString()));

        JsonElement[] samples = [.. model.GetProperty("samples").EnumerateArray()];
        Assert.Contains(samples, sample => sample.GetProperty("requests_per_second").GetDouble() > 0);
        Assert.Contains(samples, sample => sample.GetProperty("latency_p99_seconds").ValueKind == JsonValueKind.Number);
        Assert.Contains(samples, sample => sample.GetProperty("accuracy").ValueKind == JsonValueKind.Number);

        JsonElement totals = model.GetProperty("window_totals");
        Assert.Equal(Requests, totals.GetProperty("requests").GetInt64());
        Assert.Equal(Requests, totals.GetProperty("feedback").GetInt64());

        JsonElement shares = model.GetProperty("class_share");
        double shareSum = shares.EnumerateObject().Sum(share => share.Value.GetDouble());
        Assert.Equal(1.0, shareSum, precision: 6);
        Assert.True(shares.GetProperty("setosa").GetDouble() > 0);
    }

    [Fact]
    public async Task StatusPage_ServesPageAndScript()
    {
        await using MonitorDaemon daemon = await StartDaemonAsync();

        using HttpResponseMessage page = await daemon.Client.GetAsync("/");
        string html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/status-page/status.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        using HttpResponseMessage script = await daemon.Client.GetAsync("/status-page/status.js");
        string javascript = await script.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/v2/status", javascript, StringComparison.Ordinal);

        using HttpResponseMessage missing = await daemon.Client.GetAsync("/status-page/other.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using HttpResponseMessage onMetricsPort = await daemon.MetricsClient.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, onMetricsPort.StatusCode);
    }

    [Fact]
    public async Task StatusPage_Chromium_RendersCharts()
    {
        string chromium = FindChromium()
            ?? throw new InvalidOperationException("chromium was not found on PATH; install the Debian package chromium (apt-get install chromium).");

        await using MonitorDaemon daemon = await StartDaemonAsync();
        await SendTrafficAsync(daemon);
        await WaitForChartDataAsync(daemon);

        // one more interval, so that the line charts have two points
        await SendTrafficAsync(daemon);
        await Task.Delay(StatusPageSampler.Interval * 1.5);

        string profile = Path.Combine(Path.GetTempPath(), "monitor-tests", "chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        string screenshot = Path.Combine(profile, "status-page.png");
        try
        {
            (int exitCode, string output) = await RunChromiumAsync(chromium, profile, screenshot, daemon.HttpPort);
            Assert.True(exitCode == 0, $"chromium exited with {exitCode}: {output}");
            Assert.True(File.Exists(screenshot), $"chromium wrote no screenshot: {output}");

            byte[] png = await File.ReadAllBytesAsync(screenshot);
            Assert.True(png.Length > 20_000, $"the screenshot has {png.Length} bytes; a page with charts is larger than 20,000.");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.Equal(1280, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
            Assert.Equal(900, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));

            string artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(artifacts);
            File.Copy(screenshot, Path.Combine(artifacts, "status-page.png"), overwrite: true);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static Task<MonitorDaemon> StartDaemonAsync() =>
        MonitorDaemon.StartAsync(
            repository => repository.AddFixture(Model, Fixtures.IrisMlp, settingsJson: """{ "classNames": ["setosa", "versicolor", "virginica"] }"""),
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None" });

    /// <summary>Sends one iris row per request, every fourth row of the file, and its true label as feedback.</summary>
    private static async Task SendTrafficAsync(MonitorDaemon daemon)
    {
        LabelledDataset iris = DatasetReader.Read(Fixtures.PathOf(Fixtures.IrisCsv));
        for (int i = 0; i < Requests; i++)
        {
            int row = i * 150 / Requests;
            string features = string.Join(",", iris.GetRow(row).ToArray().Select(value => value.ToString(CultureInfo.InvariantCulture)));
            (HttpStatusCode status, JsonElement body) = await daemon.PostAsync(
                $"/v2/models/{Model}/infer",
                $$"""{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"FP32","data":[{{features}}]}]}""");
            Assert.Equal(HttpStatusCode.OK, status);

            string id = body.GetProperty("parameters").GetProperty("prediction_ids")[0].GetString()!;
            (HttpStatusCode feedbackStatus, _) = await daemon.PostAsync(
                $"/v2/models/{Model}/feedback", $$"""{"id":"{{id}}","label":{{iris.ClassLabels![row]}}}""");
            Assert.Equal(HttpStatusCode.OK, feedbackStatus);
        }
    }

    /// <summary>Polls <c>/v2/status</c> until every request and feedback item is in a closed interval, for at most 15 s.</summary>
    private static async Task<JsonElement> WaitForChartDataAsync(MonitorDaemon daemon)
    {
        Stopwatch stopwatch = Stopwatch.StartNew();
        JsonElement model = default;
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(15))
        {
            (HttpStatusCode status, JsonElement body) = await daemon.GetAsync("/v2/status");
            Assert.Equal(HttpStatusCode.OK, status);
            model = body.GetProperty("models").EnumerateArray().Single(item => item.GetProperty("name").GetString() == Model);
            JsonElement totals = model.GetProperty("window_totals");
            if (totals.GetProperty("requests").GetInt64() >= Requests && totals.GetProperty("feedback").GetInt64() >= Requests)
            {
                return model;
            }

            await Task.Delay(250);
        }

        return model;
    }

    private static async Task<(int ExitCode, string Output)> RunChromiumAsync(string chromium, string profile, string screenshot, int port)
    {
        ProcessStartInfo start = new(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile, "--screenshot=" + screenshot, "--window-size=1280,900",
            "--virtual-time-budget=8000", "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + "/",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish the screenshot within 90 s.");
        }

        StringBuilder text = new();
        text.Append(await output).Append(await error);
        return (process.ExitCode, text.ToString());
    }

    private static string? FindChromium()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
