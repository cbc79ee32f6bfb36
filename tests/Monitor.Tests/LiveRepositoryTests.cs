using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

[Collection(IsolatedCollection.Name)]
public sealed class LiveRepositoryTests
{
    private static readonly Dictionary<string, string?> FastWatch = new()
    {
        ["Monitor:RepositoryPollIntervalSeconds"] = "0.3",
        ["Monitor:RepositorySettleSeconds"] = "1",
    };

    [Fact]
    public async Task HotReloadUnderLoadServesNoWrongAnswer()
    {
        byte[] linear = TestModels.IrisShapedLinear();
        using InferenceSession irisSession = new(Fixtures.PathOf(Fixtures.IrisMlp));
        using InferenceSession linearSession = new(linear);
        Dictionary<string, float[][]> expected = new()
        {
            ["1"] = IrisRequests.Reference(irisSession),
            ["2"] = IrisRequests.Reference(linearSession),
        };
        Assert.NotEqual(expected["1"][0], expected["2"][0]);

        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository => repository.AddFixture("reload", Fixtures.IrisMlp), FastWatch);
        string modelDirectory = Path.Combine(daemon.Repository, "reload");
        List<Response> responses = [];
        using CancellationTokenSource stop = new(TimeSpan.FromSeconds(90));
        Stopwatch clock = Stopwatch.StartNew();
        Task[] workers = Enumerable.Range(0, 8).Select(worker => RunWorkerAsync(daemon, worker, clock, responses, stop.Token)).ToArray();

        // phase 1: a new version arrives in slow chunks, as a copy does
        await Task.Delay(1500);
        await WriteSlowlyAsync(Path.Combine(modelDirectory, "2", "model.onnx"), linear);
        JsonElement afterReplace = await WaitForMetadataAsync(daemon, body => Versions(body).SequenceEqual(["2"]) && !States(body).ContainsKey("1"));

        // phase 2: a broken version fails and leaves version 2 serving
        await Task.Delay(1500);
        Directory.CreateDirectory(Path.Combine(modelDirectory, "3"));
        await File.WriteAllBytesAsync(Path.Combine(modelDirectory, "3", "model.onnx"), "garbage, not an ONNX model"u8.ToArray());
        JsonElement afterFailure = await WaitForMetadataAsync(daemon, body => States(body).GetValueOrDefault("3") == "FAILED");

        // phase 3: the model folder goes away
        await Task.Delay(1500);
        TimeSpan removedAt = clock.Elapsed;
        Directory.Delete(modelDirectory, recursive: true);
        TimeSpan notFoundAt = await WaitForNotFoundAsync(daemon, clock);
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Equal("READY", States(afterReplace)["2"]);
        Assert.Equal(["2"], Versions(afterFailure));
        Assert.Equal("READY", States(afterFailure)["2"]);
        Assert.DoesNotContain(responses, response => response.Status >= 500);
        Assert.DoesNotContain(responses, response => response.Status is not (200 or 404));
        Assert.DoesNotContain(responses, response => response.Status == 404 && response.Finished < removedAt);
        Assert.DoesNotContain(responses, response => response.Status == 200 && response.Started > notFoundAt);
        Assert.DoesNotContain(responses, response => response.Status == 200 && !IsCorrect(response, expected));
        Assert.Contains(responses, response => response.Version == "1");
        Assert.Contains(responses, response => response.Version == "2");
        Assert.Contains(responses, response => response.Status == 404);

        PrometheusScrape scrape = await daemon.ScrapeAsync();
        Assert.Equal(1, scrape.Sum("monitor_model_load_failures_total", ("model", "reload"), ("version", "3")));
        Assert.Equal(0, scrape.Sum("monitor_model_load_failures_total", ("model", "reload"), ("version", "2")));
    }

    [Fact]
    public async Task VersionPolicySelectsServedVersions()
    {
        byte[] linear = TestModels.IrisShapedLinear();
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository =>
        {
            foreach ((string name, string? policy) in new[] { ("latest", null), ("all", """{"all": true}"""), ("specific", """{"specific": [1]}"""), ("two", """{"latest": 2}""") })
            {
                repository.AddFixture(name, Fixtures.IrisMlp, version: 1, settingsJson: policy is null ? null : $$"""{"versionPolicy": {{policy}}}""");
                repository.AddFile(name, linear, version: 2);
            }
        });

        Assert.Equal(["2"], Versions((await daemon.GetAsync("/v2/models/latest")).Body));
        Assert.Equal(["1", "2"], Versions((await daemon.GetAsync("/v2/models/all")).Body));
        Assert.Equal(["1"], Versions((await daemon.GetAsync("/v2/models/specific")).Body));
        Assert.Equal(["1", "2"], Versions((await daemon.GetAsync("/v2/models/two")).Body));
        Assert.Equal(HttpStatusCode.OK, (await daemon.PostAsync("/v2/models/all/versions/1/infer", IrisRequests.Body(IrisRequests.Rows[0]))).Status);
        Assert.Equal(HttpStatusCode.OK, (await daemon.PostAsync("/v2/models/all/versions/2/infer", IrisRequests.Body(IrisRequests.Rows[0]))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await daemon.PostAsync("/v2/models/latest/versions/1/infer", IrisRequests.Body(IrisRequests.Rows[0]))).Status);
        (_, JsonElement specific) = await daemon.PostAsync("/v2/models/specific/infer", IrisRequests.Body(IrisRequests.Rows[0]));
        Assert.Equal("1", specific.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task InvalidVersionPolicyFailsTheModel()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository =>
        {
            repository.AddFixture("reload", Fixtures.IrisMlp);
            repository.AddFixture("mixed", Fixtures.IrisMlp, settingsJson: """{"versionPolicy": {"latest": 1, "all": true}}""");
        });

        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync("/v2/models/mixed/infer", IrisRequests.Body(IrisRequests.Rows[0]));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("versionPolicy must set exactly one of latest, specific or all", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedFileReplacesSameVersion()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository => repository.AddFile("reload", File.ReadAllBytes(Fixtures.PathOf(Fixtures.IrisMlp))), FastWatch);
        using InferenceSession linearSession = new(TestModels.IrisShapedLinear());
        float[] expected = IrisRequests.Reference(linearSession)[0];

        string path = Path.Combine(daemon.Repository, "reload", "1", "model.onnx");
        string staging = path + ".tmp";
        await File.WriteAllBytesAsync(staging, TestModels.IrisShapedLinear());
        File.Move(staging, path, overwrite: true);
        float[] served = [];
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            (_, JsonElement body) = await daemon.PostAsync("/v2/models/reload/infer", IrisRequests.Body(IrisRequests.Rows[0]));
            served = Outputs(body);
            if (served.SequenceEqual(expected))
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(expected, served);
        Assert.Equal(["1"], Versions((await daemon.GetAsync("/v2/models/reload")).Body));
    }

    [Fact]
    public async Task NewModelIsNotFoundUntilReady()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository => repository.AddFixture("reload-existing", Fixtures.IrisMlp), FastWatch);

        Task copy = WriteSlowlyAsync(Path.Combine(daemon.Repository, "reload-new", "1", "model.onnx"), TestModels.IrisShapedLinear());
        List<HttpStatusCode> statuses = [];
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && (statuses.Count == 0 || statuses[^1] != HttpStatusCode.OK))
        {
            (HttpStatusCode status, _) = await daemon.PostAsync("/v2/models/reload-new/infer", IrisRequests.Body(IrisRequests.Rows[0]));
            statuses.Add(status);
            await Task.Delay(20);
        }

        await copy;
        Assert.Equal(HttpStatusCode.OK, statuses[^1]);
        Assert.All(statuses, status => Assert.Contains(status, new[] { HttpStatusCode.NotFound, HttpStatusCode.OK }));
        Assert.Equal(HttpStatusCode.NotFound, statuses[0]);
    }

    [Fact]
    public async Task SymlinkSwapOutsideRepositoryIsFound()
    {
        // laid out as a Kubernetes volume update does it: the model file links through a folder
        // link that is swapped in one rename, outside the watched folder, so no event arrives
        string volume = Path.Combine(Path.GetTempPath(), "monitor-tests", $"volume-{Guid.NewGuid():N}");
        string first = Path.Combine(volume, "..2026_first");
        string second = Path.Combine(volume, "..2026_second");
        string data = Path.Combine(volume, "..data");
        Directory.CreateDirectory(first);
        Directory.CreateDirectory(second);
        File.Copy(Fixtures.PathOf(Fixtures.IrisMlp), Path.Combine(first, "model.onnx"));
        Directory.CreateSymbolicLink(data, first);
        using InferenceSession linearSession = new(TestModels.IrisShapedLinear());
        float[] expected = IrisRequests.Reference(linearSession)[0];
        try
        {
            await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
                repository =>
                {
                    string version = Path.Combine(repository.Root, "reload-volume", "1");
                    Directory.CreateDirectory(version);
                    File.CreateSymbolicLink(Path.Combine(version, "model.onnx"), Path.Combine(data, "model.onnx"));
                },
                FastWatch);
            (_, JsonElement before) = await daemon.PostAsync("/v2/models/reload-volume/infer", IrisRequests.Body(IrisRequests.Rows[0]));

            await File.WriteAllBytesAsync(Path.Combine(second, "model.onnx"), TestModels.IrisShapedLinear());
            string staging = Path.Combine(volume, "..data_tmp");
            Directory.CreateSymbolicLink(staging, second);
            await RenameOverAsync(staging, data);
            float[] served = [];
            DateTime deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && !served.SequenceEqual(expected))
            {
                await Task.Delay(100);
                (_, JsonElement body) = await daemon.PostAsync("/v2/models/reload-volume/infer", IrisRequests.Body(IrisRequests.Rows[0]));
                served = Outputs(body);
            }

            Assert.NotEqual(expected, Outputs(before));
            Assert.Equal(expected, served);
        }
        finally
        {
            Directory.Delete(volume, recursive: true);
        }
    }

    /// <summary>Renames a link over another in one rename(2), which File.Move does not do for links to folders.</summary>
    private static async Task RenameOverAsync(string source, string destination)
    {
        using Process move = Process.Start("mv", ["-T", source, destination]);
        await move.WaitForExitAsync();
        Assert.Equal(0, move.ExitCode);
    }

    private static async Task RunWorkerAsync(MonitorDaemon daemon, int worker, Stopwatch clock, List<Response> responses, CancellationToken cancellationToken)
    {
        // bounded in count and, through the token, in time
        for (int i = 0; i < 20_000 && !cancellationToken.IsCancellationRequested; i++)
        {
            int row = (worker + i) % IrisRequests.Rows.Length;
            TimeSpan started = clock.Elapsed;
            using HttpResponseMessage message = await daemon.PostJsonAsync("/v2/models/reload/infer", IrisRequests.Body(IrisRequests.Rows[row]));
            string text = await message.Content.ReadAsStringAsync(CancellationToken.None);
            Response response = new((int)message.StatusCode, row, started, clock.Elapsed, null, []);
            if (message.StatusCode == HttpStatusCode.OK)
            {
                JsonElement body = JsonDocument.Parse(text).RootElement;
                response = response with { Version = body.GetProperty("model_version").GetString(), Output = Outputs(body) };
            }

            lock (responses)
            {
                responses.Add(response);
            }
        }
    }

    private static bool IsCorrect(Response response, Dictionary<string, float[][]> expected) =>
        response.Version is not null
        && expected.TryGetValue(response.Version, out float[][]? outputs)
        && outputs[response.Row].Zip(response.Output).All(pair => Math.Abs(pair.First - pair.Second) < 1e-6f)
        && outputs[response.Row].Length == response.Output.Length;

    private static async Task WriteSlowlyAsync(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using FileStream stream = new(path, FileMode.CreateNew, FileAccess.Write);
        int chunk = (content.Length / 4) + 1;
        for (int offset = 0; offset < content.Length; offset += chunk)
        {
            await stream.WriteAsync(content.AsMemory(offset, Math.Min(chunk, content.Length - offset)));
            await stream.FlushAsync();
            await Task.Delay(150);
        }
    }

    private static async Task<JsonElement> WaitForMetadataAsync(MonitorDaemon daemon, Func<JsonElement, bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement body = default;
        while (DateTime.UtcNow < deadline)
        {
            HttpStatusCode status;
            (status, body) = await daemon.GetAsync("/v2/models/reload");
            if (status == HttpStatusCode.OK && condition(body))
            {
                return body;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Model metadata did not reach the expected state within 30 s; last: {body}");
    }

    private static async Task<TimeSpan> WaitForNotFoundAsync(MonitorDaemon daemon, Stopwatch clock)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using HttpResponseMessage response = await daemon.Client.GetAsync("/v2/models/reload");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return clock.Elapsed;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The removed model was still served after 30 s.");
    }

    private static string[] Versions(JsonElement metadata) =>
        metadata.GetProperty("versions").EnumerateArray().Select(version => version.GetString()!).ToArray();

    private static Dictionary<string, string> States(JsonElement metadata) =>
        metadata.GetProperty("parameters").GetProperty("version_states").EnumerateArray()
            .ToDictionary(state => state.GetProperty("version").GetString()!, state => state.GetProperty("state").GetString()!);

    private static float[] Outputs(JsonElement body) =>
        body.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(value => value.GetSingle()).ToArray();

    private sealed record Response(int Status, int Row, TimeSpan Started, TimeSpan Finished, string? Version, float[] Output);
}
