using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitor.Gpu;
using Monitor.Http;
using Monitor.Inference;
using Monitor.Quality;
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

        // Polly logs every execution and ASP.NET Core every request at Information; keep their warnings
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
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
            .Validate(
                options => options.Quality.PredictionValueBuckets.Zip(options.Quality.PredictionValueBuckets.Skip(1)).All(pair => pair.First < pair.Second),
                "Monitor:Quality:PredictionValueBuckets must be in ascending order.")
            .Validate(options => ParseListenAddress(options.ListenAddress) is not null, "Monitor:ListenAddress must be an IP address (such as 127.0.0.1 or 0.0.0.0) or localhost.")
            .Validate(
                options => string.IsNullOrEmpty(options.ModelRepository) || Directory.Exists(options.ModelRepository),
                "Monitor:ModelRepository names a folder that does not exist; give the absolute path of the folder that holds <model>/<version>/model.onnx.")
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
        IPAddress? address = ParseListenAddress(options.ListenAddress);
        if (address is null || options.HttpPort is < 1 or > 65535 || options.MetricsPort is < 1 or > 65535)
        {
            // options validation at start names the bad value
            return;
        }

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

    /// <summary>Parses the listen address; null when it is neither an IP address nor localhost.</summary>
    internal static IPAddress? ParseListenAddress(string value) =>
        string.Equals(value, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(value, out IPAddress? parsed) ? parsed
        : null;

    private static void AddServices(IServiceCollection services, MonitorOptions options)
    {
        services.AddSingleton<MonitorMetrics>();
        services.AddSingleton<ModelLoader>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<PredictionPipeline>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PredictionIdService>();
        services.AddSingleton<QualityMetrics>();
        services.AddSingleton<FeedbackEndpoints>();
        services.AddSingleton<ServerLifetime>();
        services.AddSingleton<InferenceEndpoints>();
        services.AddSingleton<MetadataEndpoints>();
        services.AddSingleton<RepositoryEndpoints>();
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService<RepositoryLoaderService>();
        services.AddHostedService<CanaryEvaluationService>();
        services.AddSingleton<GpuMetrics>();
        services.AddHostedService(provider => provider.GetRequiredService<GpuMetrics>());
        services.AddStatusPage();

        // the web server stops first and lets accepted requests finish, then the loader drains the queues
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownGracePeriodSeconds));
        AddResiliencePipelines(services);

        if (!options.ExportMetrics)
        {
            return;
        }

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
        if (options.ExportMetrics)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(
                context => context.Connection.LocalPort == metricsPort && context.Request.Path == "/metrics");
        }

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
        app.Services.GetRequiredService<FeedbackEndpoints>().Map(app);
        app.MapStatusPage();
        app.MapFallback(context => JsonResults.WriteErrorAsync(
            context, StatusCodes.Status404NotFound,
            $"No endpoint at {context.Request.Method} {context.Request.Path}; see GET /v2 and /v2/models/{{model}}."));

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Monitor");
            IPAddress address = ParseListenAddress(options.ListenAddress)!;
            string host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            logger.Listening($"http://{host}:{options.HttpPort}", $"http://{host}:{metricsPort}");
        });
    }
}
