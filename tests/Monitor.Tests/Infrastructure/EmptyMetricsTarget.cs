using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Monitor.Tests.Infrastructure;

/// <summary>
/// A scrape target on 127.0.0.1 whose <c>/metrics</c> serves no samples, as a Monitor replica
/// that loaded no model would. Prometheus sees it as up.
/// </summary>
public sealed class EmptyMetricsTarget : IAsyncDisposable
{
    private readonly WebApplication app;

    private EmptyMetricsTarget(WebApplication app, int port)
    {
        this.app = app;
        this.Port = port;
    }

    public int Port { get; }

    public static async Task<EmptyMetricsTarget> StartAsync()
    {
        int port = LoopbackPorts.Free();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.MapGet("/metrics", () => Results.Text(string.Empty, "text/plain; version=0.0.4"));
        await app.StartAsync();
        return new EmptyMetricsTarget(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
    }
}
