using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Monitor.Hosting;
using Monitor.Inference;
using Monitor.Repository;

namespace Monitor.Http;

/// <summary>Health, server metadata, model metadata and model readiness, as the Open Inference Protocol defines them.</summary>
internal sealed class MetadataEndpoints
{
    public const string ServerName = "monitor";

    private static readonly string ServerVersion =
        typeof(MetadataEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private readonly ModelRegistry registry;
    private readonly ServerLifetime lifetime;

    public MetadataEndpoints(ModelRegistry registry, ServerLifetime lifetime)
    {
        this.registry = registry;
        this.lifetime = lifetime;
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2/health/live", context => WriteLive(context));
        routes.MapGet("/v2/health/ready", this.ReadyAsync);
        routes.MapGet("/v2", WriteServerMetadata);
        routes.MapGet("/v2/models/{model}", context => this.ModelMetadataAsync(context));
        routes.MapGet("/v2/models/{model}/versions/{version}", context => this.ModelMetadataAsync(context));
        routes.MapGet("/v2/models/{model}/ready", context => this.ModelReadyAsync(context));
        routes.MapGet("/v2/models/{model}/versions/{version}/ready", context => this.ModelReadyAsync(context));
        routes.MapGet("/v1/models/{model}", context => this.ModelMetadataAsync(context));
    }

    private static Task WriteLive(HttpContext context) =>
        JsonResults.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("live", true);
            writer.WriteEndObject();
        });

    private Task ReadyAsync(HttpContext context)
    {
        bool ready = this.registry.IsReady && !this.lifetime.IsStopping;
        return JsonResults.WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ready", ready);
            writer.WriteEndObject();
        });
    }

    private static Task WriteServerMetadata(HttpContext context) =>
        JsonResults.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", ServerName);
            writer.WriteString("version", ServerVersion);
            writer.WriteStartArray("extensions");
            writer.WriteStringValue("model_repository");
            writer.WriteStringValue("monitor_feedback");
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private async Task ModelMetadataAsync(HttpContext context)
    {
        try
        {
            ServedModel served = this.registry.GetModel((string)context.Request.RouteValues["model"]!);
            LoadedModel model = served.Resolve(context.Request.RouteValues["version"] as string);
            await JsonResults.WriteAsync(context, StatusCodes.Status200OK, writer => WriteModelMetadata(writer, served, model));
        }
        catch (InferenceRequestException exception)
        {
            await JsonResults.WriteErrorAsync(context, exception.StatusCode, exception.Message);
        }
    }

    private async Task ModelReadyAsync(HttpContext context)
    {
        try
        {
            ServedModel served = this.registry.GetModel((string)context.Request.RouteValues["model"]!);
            bool ready;
            try
            {
                ready = served.Resolve(context.Request.RouteValues["version"] as string) is not null;
            }
            catch (InferenceRequestException exception) when (exception.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status503ServiceUnavailable)
            {
                ready = false;
            }

            await JsonResults.WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("name", served.Name);
                writer.WriteBoolean("ready", ready);
                writer.WriteEndObject();
            });
        }
        catch (InferenceRequestException exception)
        {
            await JsonResults.WriteErrorAsync(context, exception.StatusCode, exception.Message);
        }
    }

    private static void WriteModelMetadata(Utf8JsonWriter writer, ServedModel served, LoadedModel model)
    {
        writer.WriteStartObject();
        writer.WriteString("name", model.Name);
        writer.WriteStartArray("versions");
        foreach (LoadedModel version in served.ReadyVersions)
        {
            writer.WriteStringValue(version.VersionLabel);
        }

        writer.WriteEndArray();
        writer.WriteString("platform", "onnxruntime_onnx");
        WriteTensors(writer, "inputs", model.Inputs);
        WriteTensors(writer, "outputs", model.Outputs);

        writer.WriteStartObject("parameters");
        writer.WriteString("version", model.VersionLabel);
        writer.WriteString("execution_provider", model.Provider);
        writer.WriteString("task", model.Task.ToString().ToLowerInvariant());
        writer.WriteString("producer", model.Producer);
        writer.WriteBoolean("batching", model.Scheduler?.IsBatching ?? false);
        if (model.Scheduler is { IsBatching: true } scheduler)
        {
            writer.WriteNumber("max_batch_size", scheduler.Batching.MaxBatchSize);
            writer.WriteNumber("max_queue_delay_ms", scheduler.Batching.MaxQueueDelayMilliseconds);
            writer.WriteNumber("queue_capacity", scheduler.Batching.QueueCapacity);
        }

        if (model.ClassCount > 0)
        {
            writer.WriteStartArray("class_names");
            foreach (string name in model.ClassNames)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("version_states");
        foreach (VersionStatus status in served.States)
        {
            writer.WriteStartObject();
            writer.WriteString("version", status.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("state", status.State.ToString().ToUpperInvariant());
            if (status.Error is not null)
            {
                writer.WriteString("error", status.Error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteTensors(Utf8JsonWriter writer, string property, IReadOnlyList<TensorSpec> tensors)
    {
        writer.WriteStartArray(property);
        foreach (TensorSpec tensor in tensors)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tensor.ShortName);
            writer.WriteString("datatype", tensor.Datatype);
            writer.WriteStartArray("shape");
            foreach (long dimension in tensor.Dimensions)
            {
                writer.WriteNumberValue(dimension);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
