using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Monitor.Hosting;
using Monitor.Testing;

namespace Monitor.Tests.Infrastructure;

/// <summary>
/// A real Monitor daemon on 127.0.0.1 with free ports and a temporary model repository whose
/// model files link to the shared fixtures.
/// </summary>
/// <remarks>
/// A scrape also carries the series of the other daemons in the test process, because the
/// exporter listens to the <c>Monitor</c> meter by name. Tests that assert on metrics and run
/// beside others use model names that no other test class uses.
/// </remarks>
public sealed class MonitorDaemon : IAsyncDisposable
{
    private readonly WebApplication app;

    private MonitorDaemon(WebApplication app, string repository, int httpPort, int metricsPort)
    {
        this.app = app;
        this.Repository = repository;
        this.HttpPort = httpPort;
        this.MetricsPort = metricsPort;
        this.Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(2) };
        this.MetricsClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
    }

    public string Repository { get; }

    public int HttpPort { get; }

    public int MetricsPort { get; }

    public HttpClient Client { get; }

    public HttpClient MetricsClient { get; }

    public IServiceProvider Services => this.app.Services;

    /// <summary>Starts a daemon over a repository that <paramref name="populate"/> fills, and waits until it is ready.</summary>
    public static async Task<MonitorDaemon> StartAsync(Action<RepositoryBuilder> populate, IReadOnlyDictionary<string, string?>? settings = null, bool waitForReady = true)
    {
        string repository = Path.Combine(Path.GetTempPath(), "monitor-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(repository);
        populate(new RepositoryBuilder(repository));

        int httpPort = FreePort();
        int metricsPort = FreePort();
        Dictionary<string, string?> all = new()
        {
            ["Monitor:ModelRepository"] = repository,
            ["Monitor:ListenAddress"] = "127.0.0.1",
            ["Monitor:HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Monitor:MetricsPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Monitor:ExecutionProvider"] = "cpu",
            ["Logging:LogLevel:Default"] = "Critical",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        WebApplication app = MonitorServer.Build([], all);
        await app.StartAsync();
        MonitorDaemon daemon = new(app, repository, httpPort, metricsPort);
        if (waitForReady)
        {
            await daemon.WaitUntilReadyAsync();
        }

        return daemon;
    }

    public async Task WaitUntilReadyAsync()
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using HttpResponseMessage response = await this.Client.GetAsync("/v2/health/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The daemon did not become ready within 60 s.");
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        this.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using HttpResponseMessage response = await this.PostJsonAsync(path, json);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using HttpResponseMessage response = await this.Client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Stops the host as SIGTERM does: readiness turns false, then accepted requests drain.</summary>
    public Task StopAsync() => this.app.StopAsync();

    /// <summary>Scrapes <c>/metrics</c> and parses the samples.</summary>
    public async Task<PrometheusScrape> ScrapeAsync()
    {
        string text = await this.MetricsClient.GetStringAsync("/metrics");
        return PrometheusScrape.Parse(text);
    }

    /// <summary>
    /// Scrapes until <paramref name="condition"/> is true or 5 s pass, and returns the last scrape.
    /// Request metrics are recorded after the response is written, so a scrape right after a
    /// response can miss the last requests.
    /// </summary>
    public async Task<PrometheusScrape> ScrapeUntilAsync(Func<PrometheusScrape, bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(5);
        PrometheusScrape scrape = await this.ScrapeAsync();
        while (!condition(scrape) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            scrape = await this.ScrapeAsync();
        }

        return scrape;
    }

    public async ValueTask DisposeAsync()
    {
        this.Client.Dispose();
        this.MetricsClient.Dispose();
        await this.app.StopAsync();
        await this.app.DisposeAsync();
        try
        {
            Directory.Delete(this.Repository, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temporary folder is harmless
        }
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Fills a temporary model repository.</summary>
public sealed class RepositoryBuilder
{
    public RepositoryBuilder(string root)
    {
        this.Root = root;
    }

    public string Root { get; }

    /// <summary>Adds a fixture model as <c>&lt;model&gt;/&lt;version&gt;/model.onnx</c>, linked rather than copied.</summary>
    public RepositoryBuilder AddFixture(string model, string fixture, long version = 1, string? settingsJson = null)
    {
        string directory = Path.Combine(this.Root, model, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        File.CreateSymbolicLink(Path.Combine(directory, "model.onnx"), Fixtures.PathOf(fixture));
        if (settingsJson is not null)
        {
            File.WriteAllText(Path.Combine(this.Root, model, "monitor.json"), settingsJson);
        }

        return this;
    }

    /// <summary>Adds a model version whose file contains the given bytes.</summary>
    public RepositoryBuilder AddFile(string model, byte[] content, long version = 1)
    {
        string directory = Path.Combine(this.Root, model, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), content);
        return this;
    }
}
