using System.Net;
using System.Text.Json;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

[Collection(IsolatedCollection.Name)]
public sealed class RepositoryControlTests
{
    [Theory]
    [InlineData("/v2/repository/index")]
    [InlineData("/v2/repository/models/control/load")]
    [InlineData("/v2/repository/models/control/unload")]
    public async Task ControlOffReturns403(string path)
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository => repository.AddFixture("control", Fixtures.IrisMlp));

        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync(path, "{}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Monitor:RepositoryControl:Enabled", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await daemon.PostAsync("/v2/models/control/infer", IrisRequests.Body(IrisRequests.Rows[0]))).Status);
    }

    [Fact]
    public async Task UnloadAndLoadByRequest()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository =>
            {
                repository.AddFixture("control", Fixtures.IrisMlp);
                repository.AddFixture("control-mnist", Fixtures.MnistMlp);
            },
            new Dictionary<string, string?> { ["Monitor:RepositoryControl:Enabled"] = "true", ["Monitor:RepositoryPollIntervalSeconds"] = "0.2" });
        string infer = IrisRequests.Body(IrisRequests.Rows[0]);

        (HttpStatusCode indexStatus, JsonElement index) = await daemon.PostAsync("/v2/repository/index", "");
        (HttpStatusCode unloadStatus, _) = await daemon.PostAsync("/v2/repository/models/control/unload", "");
        (HttpStatusCode afterUnload, _) = await daemon.PostAsync("/v2/models/control/infer", infer);
        await Task.Delay(1000);
        (HttpStatusCode afterRescan, _) = await daemon.PostAsync("/v2/models/control/infer", infer);
        (_, JsonElement unloadedIndex) = await daemon.PostAsync("/v2/repository/index", "");
        (_, JsonElement readyIndex) = await daemon.PostAsync("/v2/repository/index", """{"ready": true}""");
        (HttpStatusCode loadStatus, JsonElement load) = await daemon.PostAsync("/v2/repository/models/control/load", "");
        (HttpStatusCode afterLoad, JsonElement output) = await daemon.PostAsync("/v2/models/control/infer", infer);

        Assert.Equal(HttpStatusCode.OK, indexStatus);
        Assert.Equal(["control 1 READY", "control-mnist 1 READY"], Describe(index));
        Assert.Equal(HttpStatusCode.OK, unloadStatus);
        Assert.Equal(HttpStatusCode.NotFound, afterUnload);
        Assert.Equal(HttpStatusCode.NotFound, afterRescan);
        Assert.Equal(["control - UNAVAILABLE", "control-mnist 1 READY"], Describe(unloadedIndex));
        Assert.Equal("unloaded by request", unloadedIndex[0].GetProperty("reason").GetString());
        Assert.Equal(["control-mnist 1 READY"], Describe(readyIndex));
        Assert.Equal(HttpStatusCode.OK, loadStatus);
        Assert.Equal("READY", load.GetProperty("version_states")[0].GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, afterLoad);
        Assert.Equal("1", output.GetProperty("model_version").GetString());
    }

    [Theory]
    [InlineData("/v2/repository/models/nosuchmodel/load", HttpStatusCode.NotFound, "not in the repository; models there: control, control-broken")]
    [InlineData("/v2/repository/models/nosuchmodel/unload", HttpStatusCode.NotFound, "not in the repository; models there: control, control-broken")]
    [InlineData("/v2/repository/models/..control/load", HttpStatusCode.BadRequest, "is invalid")]
    [InlineData("/v2/repository/models/control-broken/load", HttpStatusCode.BadRequest, "failed to load")]
    public async Task ControlRejectsUnknownAndBrokenModels(string path, HttpStatusCode expected, string message)
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository =>
            {
                repository.AddFixture("control", Fixtures.IrisMlp);
                repository.AddFile("control-broken", "not an ONNX model"u8.ToArray());
            },
            new Dictionary<string, string?> { ["Monitor:RepositoryControl:Enabled"] = "true" });

        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync(path, "");

        Assert.Equal(expected, status);
        Assert.Contains(message, body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static string[] Describe(JsonElement index) =>
        index.EnumerateArray()
            .Select(entry => $"{entry.GetProperty("name").GetString()} {(entry.TryGetProperty("version", out JsonElement version) ? version.GetString() : "-")} {entry.GetProperty("state").GetString()}")
            .ToArray();
}
