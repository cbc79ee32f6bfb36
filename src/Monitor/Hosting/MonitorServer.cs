using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitor.Http;
using Monitor.Inference;
using Monitor.Repository;
using Monitor.Telemetry;
using OpenTelemetry.Metrics;
using Polly;
using Polly.Retry;

namespace Monitor.Hosting;

/// <summary>
/// Builds the daemon: the inference API on one port and the Prometheus scrape endpoint on another,
/// so that scrapes never queue behind inference.
/// </summary>
public static class MonitorServer
{
    /// <summary>Creates the web application with its services, endpoints and telemetry.</summary>
    /// <param name="args">Command-line arguments for the host's configuration.</param>
    /// <param name="settings">Configuration keys that override every other source, for example <c>Monitor:ModelRepository</c>.</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });

        builder.Services.AddOptions<MonitorOptions>()
            .Bind(builder.Configuration.GetSection(MonitorOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(options => options.HttpPort != options.MetricsPort, "Monitor:HttpPort and Monitor:MetricsPort must differ.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MonitorOptions>, MonitorOptionsValidator>();

        MonitorOptions options = builder.Configuration.GetSection(MonitorOptions.SectionName).Get<MonitorOptions>() ?? new MonitorOptions();
        ConfigureKestrel(builder, options);
        AddServices(builder.Services, options);

        WebApplication app = builder.Build();
        MapEndpoints(app, options);
        return app;
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, MonitorOptions options)
    {
        IPAddress address = IPAddress.TryParse(options.ListenAddress, out IPAddress? parsed) ? parsed : IPAddress.Any;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;

            // HTTP/1.1 carries one request at a time per connection. These plain-HTTP endpoints speak
            // only HTTP/1.1, because HTTP/2 needs TLS to be negotiated, so this applies to HTTP/2 endpoints.
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Listen(address, options.HttpPort);
            kestrel.Listen(address, options.MetricsPort);
        });
    }

    private static void AddServices(IServiceCollection services, MonitorOptions options)
    {
        services.AddSingleton<MonitorMetrics>();
        services.AddSingleton<ModelLoader>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<PredictionPipeline>();
        services.AddSingleton<ServerLifetime>();
        services.AddSingleton<InferenceEndpoints>();
        services.AddSingleton<MetadataEndpoints>();
        services.AddSingleton<RepositoryEndpoints>();
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService<RepositoryLoaderService>();

        // the web server stops first and lets accepted requests finish, then the loader drains the queues
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownGracePeriodSeconds));
        AddResiliencePipelines(services);

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MonitorMetrics.MeterName)
            .AddMeter("Polly")
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddProcessInstrumentation()
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = options.ScrapeCacheMilliseconds));
    }

    /// <summary>Registers the Polly pipelines with the host, which also turns on their telemetry (meter <c>Polly</c>).</summary>
    private static void AddResiliencePipelines(IServiceCollection services)
    {
        services.AddResiliencePipelineRegistry<string>();
        services.AddResiliencePipeline(ResiliencePipelineKeys.InferenceTimeout, (builder, context) =>
        {
            MonitorOptions options = context.ServiceProvider.GetRequiredService<IOptions<MonitorOptions>>().Value;
            builder.AddTimeout(TimeSpan.FromSeconds(options.InferenceTimeoutSeconds));
        });
        services.AddResiliencePipeline(ResiliencePipelineKeys.ModelLoad, builder => builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = new PredicateBuilder().Handle<IOException>(),
        }));
    }

    private static void MapEndpoints(WebApplication app, MonitorOptions options)
    {
        int metricsPort = options.MetricsPort;

        // the metrics port serves /metrics and nothing else; the API port never serves /metrics
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            context => context.Connection.LocalPort == metricsPort && context.Request.Path == "/metrics");
        app.Use((context, next) =>
        {
            if (context.Connection.LocalPort == metricsPort)
            {
                return JsonResults.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Port {metricsPort} serves only /metrics.");
            }

            return next(context);
        });
        app.UseMiddleware<ApiKeyMiddleware>();

        app.Services.GetRequiredService<MetadataEndpoints>().Map(app);
        app.Services.GetRequiredService<RepositoryEndpoints>().Map(app);
        app.Services.GetRequiredService<InferenceEndpoints>().Map(app);
        app.MapFallback(context => JsonResults.WriteErrorAsync(
            context, StatusCodes.Status404NotFound,
            $"No endpoint at {context.Request.Method} {context.Request.Path}; see GET /v2 and /v2/models/{{model}}."));

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Monitor");
            logger.Listening($"http://{options.ListenAddress}:{options.HttpPort}", $"http://{options.ListenAddress}:{metricsPort}");
        });
    }
}
