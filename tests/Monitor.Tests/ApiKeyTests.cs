using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

public sealed class ApiKeyTests : IAsyncLifetime
{
    private const string Key = "s3cret-key-for-tests";

    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"monitor-api-key-{Guid.NewGuid():N}");
    private MonitorDaemon? daemon;

    private MonitorDaemon Daemon => this.daemon!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(this.keyFile, Key + "\n");
        this.daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("guarded", Fixtures.IrisMlp),
            new Dictionary<string, string?> { ["Monitor:ApiKeyFile"] = this.keyFile, ["Monitor:RepositoryControl:Enabled"] = "true" });
    }

    public async Task DisposeAsync()
    {
        if (this.daemon is not null)
        {
            await this.daemon.DisposeAsync();
        }

        File.Delete(this.keyFile);
    }

    [Theory]
    [InlineData("POST", "/v2/models/guarded/infer")]
    [InlineData("POST", "/v2/models/guarded/versions/1/infer")]
    [InlineData("POST", "/v1/models/guarded:predict")]
    [InlineData("GET", "/v2/models/guarded")]
    [InlineData("GET", "/v2/models/guarded/ready")]
    [InlineData("POST", "/v2/models/guarded/feedback")]
    [InlineData("POST", "/v2/repository/index")]
    [InlineData("POST", "/v2/repository/models/guarded/unload")]
    public async Task MissingOrWrongKeyReturns401(string method, string path)
    {
        using HttpResponseMessage missing = await this.SendAsync(method, path, null);
        using HttpResponseMessage wrong = await this.SendAsync(method, path, request => request.Headers.Add("X-API-Key", Key + "x"));
        using HttpResponseMessage wrongBearer = await this.SendAsync(method, path, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope"));
        using HttpResponseMessage prefix = await this.SendAsync(method, path, request => request.Headers.Add("X-API-Key", Key[..^1]));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongBearer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, prefix.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        string error = JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains("X-API-Key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RightKeyIsAccepted()
    {
        using HttpResponseMessage header = await this.SendAsync("POST", "/v2/models/guarded/infer", request => request.Headers.Add("X-API-Key", Key));
        using HttpResponseMessage bearer = await this.SendAsync("POST", "/v2/models/guarded/infer", request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key));
        using HttpResponseMessage metadata = await this.SendAsync("GET", "/v2/models/guarded", request => request.Headers.Add("X-API-Key", Key));
        using HttpResponseMessage index = await this.SendAsync("POST", "/v2/repository/index", request => request.Headers.Add("X-API-Key", Key));

        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
    }

    [Fact]
    public async Task HealthAndMetricsStayOpen()
    {
        using HttpResponseMessage live = await this.Daemon.Client.GetAsync("/v2/health/live");
        using HttpResponseMessage ready = await this.Daemon.Client.GetAsync("/v2/health/ready");
        using HttpResponseMessage server = await this.Daemon.Client.GetAsync("/v2");
        using HttpResponseMessage metrics = await this.Daemon.MetricsClient.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, server.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task RotatedKeyFileTakesEffect()
    {
        const string rotated = "rotated-key";
        await File.WriteAllTextAsync(this.keyFile, rotated);
        File.SetLastWriteTimeUtc(this.keyFile, DateTime.UtcNow.AddMinutes(1));
        await Task.Delay(1200);

        using HttpResponseMessage old = await this.SendAsync("POST", "/v2/models/guarded/infer", request => request.Headers.Add("X-API-Key", Key));
        using HttpResponseMessage current = await this.SendAsync("POST", "/v2/models/guarded/infer", request => request.Headers.Add("X-API-Key", rotated));

        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }

    [Fact]
    public async Task MissingKeyFileStopsStart()
    {
        OptionsValidationException exception = await Assert.ThrowsAsync<OptionsValidationException>(() => MonitorDaemon.StartAsync(
            repository => repository.AddFixture("guarded", Fixtures.IrisMlp),
            new Dictionary<string, string?> { ["Monitor:ApiKeyFile"] = "/nonexistent/monitor-api-key" },
            waitForReady: false));

        Assert.Contains("Monitor:ApiKeyFile '/nonexistent/monitor-api-key' does not exist", exception.Message, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, Action<HttpRequestMessage>? authorize)
    {
        using HttpRequestMessage request = new(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(IrisRequests.Body(IrisRequests.Rows[0]), Encoding.UTF8, "application/json");
        }

        authorize?.Invoke(request);
        return await this.Daemon.Client.SendAsync(request);
    }
}
