using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Monitor.Hosting;
using Monitor.Inference;
using Monitor.Protocol;
using Monitor.Repository;
using Monitor.Telemetry;
using Polly;
using Polly.Registry;
using Polly.Timeout;

namespace Monitor.Http;

/// <summary>
/// The inference endpoints: Open Inference Protocol <c>infer</c> and TF Serving <c>predict</c>.
/// Every request is counted under one outcome, and every failure returns a JSON error.
/// </summary>
internal sealed class InferenceEndpoints
{
    private readonly ModelRegistry registry;
    private readonly MonitorMetrics metrics;
    private readonly PredictionPipeline predictions;
    private readonly MonitorOptions options;
    private readonly ILogger<InferenceEndpoints> logger;
    private readonly ResiliencePipeline timeout;

    public InferenceEndpoints(
        ModelRegistry registry,
        MonitorMetrics metrics,
        ResiliencePipelineProvider<string> pipelines,
        PredictionPipeline predictions,
        IOptions<MonitorOptions> options,
        ILogger<InferenceEndpoints> logger)
    {
        this.registry = registry;
        this.metrics = metrics;
        this.predictions = predictions;
        this.options = options.Value;
        this.logger = logger;
        this.timeout = pipelines.GetPipeline(ResiliencePipelineKeys.InferenceTimeout);
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v2/models/{model}/infer", context => this.InferAsync(context, Protocol.V2));
        routes.MapPost("/v2/models/{model}/versions/{version}/infer", context => this.InferAsync(context, Protocol.V2));
        routes.MapPost("/v1/models/{model}:predict", context => this.InferAsync(context, Protocol.TensorFlowServing));
        routes.MapPost("/v1/models/{model}/versions/{version}:predict", context => this.InferAsync(context, Protocol.TensorFlowServing));
    }

    private async Task InferAsync(HttpContext context, Protocol protocol)
    {
        long started = Stopwatch.GetTimestamp();
        string modelLabel = string.Empty;
        string versionLabel = string.Empty;
        string outcome = Outcomes.Success;
        LoadedModel? model = null;

        try
        {
            string name = (string)context.Request.RouteValues["model"]!;
            string? version = context.Request.RouteValues["version"] as string;
            model = this.registry.AcquireVersion(name, version);
            modelLabel = model.Name;
            versionLabel = model.VersionLabel;
            this.metrics.AddActiveRequest(modelLabel, 1);

            using JsonDocument body = await RequestBodyReader.ParseAsync(context.Request, this.options.MaxRequestBodyBytes);
            DecodedRequest request = protocol == Protocol.V2
                ? InferenceRequestDecoder.DecodeV2(body.RootElement, model, this.options.MaxRowsPerRequest, this.options.MaxTensorElements)
                : InferenceRequestDecoder.DecodeInstances(body.RootElement, model, this.options.MaxRowsPerRequest, this.options.MaxTensorElements);

            TimeSpan timeout = TimeSpan.FromSeconds(this.options.InferenceTimeoutSeconds);
            InferenceScheduler scheduler = model.Scheduler!;
            OutputTensor[] outputs = await this.timeout.ExecuteAsync(
                async cancellationToken => await scheduler.InferAsync(request.Inputs, timeout, cancellationToken),
                context.RequestAborted);
            CheckFinite(model, outputs);
            PredictionSummary summary = this.predictions.Record(model, outputs, request.Inputs.Rows);

            this.metrics.RecordRows(modelLabel, versionLabel, request.Inputs.Rows);
            await JsonResults.WriteAsync(context, StatusCodes.Status200OK, writer =>
            {
                if (protocol == Protocol.V2)
                {
                    InferenceResponseWriter.WriteV2(writer, model, request, outputs, summary.Classes, summary.PredictionIds);
                }
                else
                {
                    InferenceResponseWriter.WritePredictions(writer, model, outputs, summary.PredictionIds);
                }
            });
        }
        catch (InferenceRequestException exception)
        {
            outcome = exception.Outcome;
            if (exception.RejectionReason is { } reason)
            {
                this.metrics.RecordRejected(modelLabel, versionLabel, reason);
            }

            await JsonResults.WriteErrorAsync(context, exception.StatusCode, exception.Message, exception.RetryAfterSeconds);
        }
        catch (TimeoutRejectedException)
        {
            outcome = Outcomes.Timeout;
            await JsonResults.WriteErrorAsync(
                context, StatusCodes.Status504GatewayTimeout,
                $"Model '{modelLabel}' version {versionLabel} did not answer within {this.options.InferenceTimeoutSeconds:0.###} s (Monitor:InferenceTimeoutSeconds); retry later or send fewer rows.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome = Outcomes.Cancelled;
        }
        catch (OnnxRuntimeException exception)
        {
            outcome = Outcomes.Error;
            this.logger.UnexpectedRequestError(context.Request.Path, exception);
            await JsonResults.WriteErrorAsync(
                context, StatusCodes.Status500InternalServerError,
                $"ONNX Runtime failed to run model '{modelLabel}' version {versionLabel}: {exception.Message.Trim()}");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && context.RequestAborted.IsCancellationRequested)
        {
            // the client went away, for example in the middle of sending the body
            outcome = Outcomes.Cancelled;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            outcome = Outcomes.Error;
            this.logger.UnexpectedRequestError(context.Request.Path, exception);
            if (!context.Response.HasStarted)
            {
                await JsonResults.WriteErrorAsync(
                    context, StatusCodes.Status500InternalServerError,
                    $"Inference on model '{modelLabel}' failed with an unexpected {exception.GetType().Name}; the server log has the details.");
            }
        }
        finally
        {
            if (model is not null)
            {
                this.metrics.AddActiveRequest(modelLabel, -1);
                model.Release();
            }

            this.metrics.RecordRequest(modelLabel, versionLabel, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>Refuses outputs with NaN or infinity, which JSON cannot carry and which would poison the quality metrics.</summary>
    /// <exception cref="InferenceRequestException">An output value is not finite.</exception>
    private static void CheckFinite(LoadedModel model, OutputTensor[] outputs)
    {
        foreach (OutputTensor output in outputs)
        {
            int index = output.Data.AsSpan().IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
            if (index >= 0)
            {
                long rowSize = Math.Max(output.Data.Length / Math.Max(output.Shape[0], 1), 1);
                throw new InferenceRequestException(
                    StatusCodes.Status422UnprocessableEntity, Outcomes.BadRequest,
                    $"Model '{model.Name}' version {model.Version} produced {output.Data[index]} in output '{output.Spec.ShortName}' for row {index / rowSize}; the input values are likely far outside the range the model was trained on.");
            }
        }
    }

    private enum Protocol
    {
        V2,
        TensorFlowServing,
    }
}
