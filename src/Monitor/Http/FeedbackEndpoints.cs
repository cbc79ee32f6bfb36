using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitor.Telemetry;
using Monitor.Hosting;
using Monitor.Inference;
using Monitor.Quality;
using Monitor.Repository;

namespace Monitor.Http;

/// <summary>
/// <c>POST /v2/models/{m}/feedback</c>: ground truth for earlier predictions, one
/// <c>{"id", "label"}</c> object or an array of them. Each item is scored on its own; bad items
/// are listed with the reason and do not stop the good ones.
/// </summary>
internal sealed class FeedbackEndpoints
{
    private readonly ModelRegistry registry;
    private readonly PredictionIdService ids;
    private readonly QualityMetrics metrics;
    private readonly FeedbackDeduplicator deduplicator;
    private readonly QualityOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<FeedbackEndpoints> logger;

    public FeedbackEndpoints(
        ModelRegistry registry,
        PredictionIdService ids,
        QualityMetrics metrics,
        IOptions<MonitorOptions> options,
        TimeProvider timeProvider,
        ILogger<FeedbackEndpoints> logger)
    {
        this.logger = logger;
        this.registry = registry;
        this.ids = ids;
        this.metrics = metrics;
        this.options = options.Value.Quality;
        this.timeProvider = timeProvider;
        this.deduplicator = new FeedbackDeduplicator(
            this.options.FeedbackDeduplicationCapacity, TimeSpan.FromHours(this.options.PredictionIdMaxAgeHours), timeProvider);
    }

    public void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/v2/models/{model}/feedback", this.FeedbackAsync);

    private async Task FeedbackAsync(HttpContext context)
    {
        try
        {
            ServedModel served = this.registry.GetModel((string)context.Request.RouteValues["model"]!);
            if (!this.ids.Enabled)
            {
                throw new InferenceRequestException(
                    StatusCodes.Status404NotFound, Outcomes.NotFound,
                    "Feedback is off because prediction ids are off; set Monitor:Quality:PredictionIds to true.");
            }

            using JsonDocument body = await RequestBodyReader.ParseAsync(context.Request, 8L << 20);
            JsonElement root = body.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                FeedbackResult single = this.Score(served, root);
                await JsonResults.WriteAsync(context, single.StatusCode, writer => single.Write(writer));
                return;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new InferenceRequestException("Feedback is one {\"id\": ..., \"label\": ...} object or an array of them.");
            }

            int count = root.GetArrayLength();
            if (count == 0 || count > this.options.MaxFeedbackItems)
            {
                throw new InferenceRequestException(
                    $"The feedback array has {count} items; send 1 to {this.options.MaxFeedbackItems} (Monitor:Quality:MaxFeedbackItems) per request.");
            }

            List<FeedbackResult> results = new(count);
            foreach (JsonElement item in root.EnumerateArray())
            {
                results.Add(this.Score(served, item));
            }

            await JsonResults.WriteAsync(context, StatusCodes.Status200OK, writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("scored", results.Count(result => result.Scored));
                writer.WriteNumber("rejected", results.Count(result => !result.Scored));
                writer.WriteStartArray("results");
                foreach (FeedbackResult result in results)
                {
                    result.Write(writer);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            });
        }
        catch (InferenceRequestException exception)
        {
            await JsonResults.WriteErrorAsync(context, exception.StatusCode, exception.Message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && !context.RequestAborted.IsCancellationRequested)
        {
            this.logger.UnexpectedRequestError(context.Request.Path, exception);
            if (!context.Response.HasStarted)
            {
                await JsonResults.WriteErrorAsync(
                    context, StatusCodes.Status500InternalServerError,
                    $"Feedback failed with an unexpected {exception.GetType().Name}; the server log has the details.");
            }
        }
    }

    private FeedbackResult Score(ServedModel served, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return this.Reject(served.Name, null, FeedbackRejection.Malformed, StatusCodes.Status400BadRequest, "A feedback item is not an object; send {\"id\": ..., \"label\": ...}.");
        }

        string? token = item.TryGetProperty("id", out JsonElement idElement) && idElement.ValueKind == JsonValueKind.String ? TryReadString(idElement) : null;
        if (token is null)
        {
            return this.Reject(served.Name, null, FeedbackRejection.Malformed, StatusCodes.Status400BadRequest, "'id' is missing or not a string; send the prediction id from the inference response.");
        }

        PredictionIdDecodeResult decoded = this.ids.Codec.Decode(token);
        if (!decoded.Success)
        {
            (string reason, int status) = decoded.Error switch
            {
                PredictionIdError.InvalidSignature => (FeedbackRejection.InvalidSignature, StatusCodes.Status403Forbidden),
                PredictionIdError.Expired => (FeedbackRejection.Expired, StatusCodes.Status400BadRequest),
                _ => (FeedbackRejection.Malformed, StatusCodes.Status400BadRequest),
            };
            return this.Reject(served.Name, token, reason, status, $"Prediction id rejected: {decoded.Message}");
        }

        PredictionId id = decoded.Id!;
        if (id.Model != served.Name)
        {
            return this.Reject(served.Name, token, FeedbackRejection.WrongModel, StatusCodes.Status400BadRequest,
                $"The prediction id belongs to model '{id.Model}'; send it to /v2/models/{id.Model}/feedback.");
        }

        if (!item.TryGetProperty("label", out JsonElement label))
        {
            return this.Reject(served.Name, token, FeedbackRejection.InvalidLabel, StatusCodes.Status400BadRequest, "'label' is missing; send the true class (index or name) or the true value.");
        }

        string version = id.Version.ToString(CultureInfo.InvariantCulture);
        TimeSpan delay = this.timeProvider.GetUtcNow() - id.Timestamp;
        if (id.IsRegression)
        {
            if (label.ValueKind != JsonValueKind.Number || !label.TryGetDouble(out double actualValue) || !double.IsFinite(actualValue) || Math.Abs(actualValue) > float.MaxValue)
            {
                return this.Reject(served.Name, token, FeedbackRejection.InvalidLabel, StatusCodes.Status400BadRequest,
                    $"'label' is {Truncate(label.GetRawText())}; a regression prediction takes a finite number within the float32 range (±3.4e38).");
            }

            if (!this.deduplicator.TryRegister(token))
            {
                return this.Duplicate(served.Name, token);
            }

            double error = id.PredictedValue - actualValue;
            this.metrics.RecordRegressionFeedback(served.Name, version, error, delay);
            return FeedbackResult.ForScore(token, null, error);
        }

        // class names and labels come from the version that made the prediction, else from the latest
        IReadOnlyList<string> classNames = FindClassNames(served, id.Version);
        int actual = ParseClass(label, classNames);
        if (actual < 0)
        {
            return this.Reject(served.Name, token, FeedbackRejection.InvalidLabel, StatusCodes.Status400BadRequest,
                $"'label' is {Truncate(label.GetRawText())}; send a class index from 0 to {classNames.Count - 1} or one of: {string.Join(", ", classNames)}.");
        }

        if (!this.deduplicator.TryRegister(token))
        {
            return this.Duplicate(served.Name, token);
        }

        ModelQuality? quality = served.ReadyVersions.FirstOrDefault(model => model.Version == id.Version)?.Quality ?? served.Latest?.Quality;
        string actualLabel = quality?.LabelOf(actual) ?? ModelQuality.OtherClassLabel;
        string predictedLabel = quality?.LabelOf(id.PredictedClass) ?? ModelQuality.OtherClassLabel;
        bool correct = actual == id.PredictedClass;
        this.metrics.RecordClassFeedback(served.Name, version, actualLabel, predictedLabel, correct, delay);
        return FeedbackResult.ForScore(token, correct, null);
    }

    private static IReadOnlyList<string> FindClassNames(ServedModel served, int version) =>
        (served.ReadyVersions.FirstOrDefault(model => model.Version == version) ?? served.Latest)?.ClassNames ?? [];

    /// <summary>Returns the class index of a label given as an index or a class name, or -1.</summary>
    private static int ParseClass(JsonElement label, IReadOnlyList<string> classNames)
    {
        if (label.ValueKind == JsonValueKind.Number && label.TryGetInt32(out int index))
        {
            return index >= 0 && index < classNames.Count ? index : -1;
        }

        if (label.ValueKind == JsonValueKind.String && TryReadString(label) is { } name)
        {
            for (int i = 0; i < classNames.Count; i++)
            {
                if (string.Equals(classNames[i], name, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>Reads a JSON string, or returns null when it is not valid UTF-8.</summary>
    private static string? TryReadString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");

    private FeedbackResult Duplicate(string model, string token) =>
        this.Reject(model, token, FeedbackRejection.Duplicate, StatusCodes.Status409Conflict, "Feedback for this prediction id was already scored; it is counted once.");

    private FeedbackResult Reject(string model, string? token, string reason, int status, string message)
    {
        this.metrics.RecordFeedbackRejected(model, reason);
        return FeedbackResult.ForRejection(token, status, message);
    }
}
