using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Monitor.Cli;

/// <summary>The daemon's HTTP endpoints that <c>monitor replay</c> calls: model metadata, inference and feedback.</summary>
internal sealed class ReplayClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient http;
    private readonly string modelPath;

    public ReplayClient(Uri baseAddress, string model)
    {
        this.http = new HttpClient { BaseAddress = baseAddress, Timeout = RequestTimeout };
        this.modelPath = "v2/models/" + Uri.EscapeDataString(model);
    }

    /// <summary>Reads the model's first input and class count from <c>GET /v2/models/{model}</c>.</summary>
    /// <exception cref="CommandException">The model is not served (exit code 2) or the daemon returns an error (exit code 1).</exception>
    /// <exception cref="HttpRequestException">Nothing answers at the address.</exception>
    public async Task<ServedSignature> GetSignatureAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await this.http.GetAsync(this.modelPath, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw CommandException.Usage($"{this.http.BaseAddress}{this.modelPath} returned 404: {ErrorOf(body)}");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw CommandException.Failure($"{this.http.BaseAddress}{this.modelPath} returned {(int)response.StatusCode}: {ErrorOf(body)}");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement input = document.RootElement.GetProperty("inputs")[0];
            long[] shape = [.. input.GetProperty("shape").EnumerateArray().Select(dimension => dimension.GetInt64())];
            int classes = document.RootElement.TryGetProperty("parameters", out JsonElement parameters) &&
                parameters.TryGetProperty("class_names", out JsonElement names)
                ? names.GetArrayLength()
                : 0;
            return new ServedSignature(input.GetProperty("name").GetString()!, shape, classes);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw CommandException.Failure($"{this.http.BaseAddress}{this.modelPath} did not return Open Inference Protocol model metadata: {exception.Message}", exception);
        }
    }

    /// <summary>Sends rows as one FP32 tensor and returns the prediction ids, or the error.</summary>
    public async Task<InferReply> InferAsync(ServedSignature signature, ReadOnlyMemory<float> rows, int rowCount, CancellationToken cancellationToken)
    {
        ArrayBufferWriter<byte> buffer = new();
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("inputs");
            writer.WriteStartObject();
            writer.WriteString("name", signature.InputName);
            writer.WriteStartArray("shape");
            writer.WriteNumberValue(rowCount);
            foreach (long dimension in signature.Shape.Skip(1))
            {
                writer.WriteNumberValue(dimension);
            }

            writer.WriteEndArray();
            writer.WriteString("datatype", "FP32");
            writer.WriteStartArray("data");
            foreach (float value in rows.Span)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        try
        {
            using HttpResponseMessage response = await this.http.PostAsync(this.modelPath + "/infer", Json(buffer.WrittenMemory), cancellationToken);
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new InferReply(null, $"{(int)response.StatusCode}: {ErrorOf(body)}");
            }

            using JsonDocument document = JsonDocument.Parse(body);
            string[]? ids = document.RootElement.TryGetProperty("parameters", out JsonElement parameters) &&
                parameters.TryGetProperty("prediction_ids", out JsonElement idArray)
                ? [.. idArray.EnumerateArray().Select(id => id.GetString() ?? string.Empty)]
                : null;
            return new InferReply(ids ?? [], null);
        }
        catch (HttpRequestException exception)
        {
            return new InferReply(null, exception.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new InferReply(null, $"timed out after {RequestTimeout.TotalSeconds:0} s");
        }
        catch (JsonException exception)
        {
            return new InferReply(null, $"invalid JSON response: {exception.Message}");
        }
    }

    /// <summary>Sends true labels as one feedback array and counts the scored and correct items.</summary>
    public async Task<FeedbackReply> SendFeedbackAsync(IReadOnlyList<PendingFeedback> items, CancellationToken cancellationToken)
    {
        ArrayBufferWriter<byte> buffer = new();
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartArray();
            foreach (PendingFeedback item in items)
            {
                writer.WriteStartObject();
                writer.WriteString("id", item.PredictionId);
                writer.WriteNumber("label", item.Label);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        try
        {
            using HttpResponseMessage response = await this.http.PostAsync(this.modelPath + "/feedback", Json(buffer.WrittenMemory), cancellationToken);
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new FeedbackReply(0, items.Count, 0, $"feedback returned {(int)response.StatusCode}: {ErrorOf(body)}");
            }

            using JsonDocument document = JsonDocument.Parse(body);
            int scored = 0;
            int rejected = 0;
            int correct = 0;
            string? error = null;
            foreach (JsonElement result in document.RootElement.GetProperty("results").EnumerateArray())
            {
                if (result.TryGetProperty("correct", out JsonElement correctElement))
                {
                    scored++;
                    correct += correctElement.GetBoolean() ? 1 : 0;
                }
                else
                {
                    rejected++;
                    error ??= result.TryGetProperty("error", out JsonElement message) ? "feedback rejected: " + message.GetString() : null;
                }
            }

            return new FeedbackReply(scored, rejected, correct, error);
        }
        catch (HttpRequestException exception)
        {
            return new FeedbackReply(0, items.Count, 0, "feedback failed: " + exception.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new FeedbackReply(0, items.Count, 0, $"feedback timed out after {RequestTimeout.TotalSeconds:0} s");
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new FeedbackReply(0, items.Count, 0, "invalid feedback response: " + exception.Message);
        }
    }

    public void Dispose() => this.http.Dispose();

    private static ByteArrayContent Json(ReadOnlyMemory<byte> bytes)
    {
        ByteArrayContent content = new(bytes.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string ErrorOf(string body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("error", out JsonElement error) &&
                error.ValueKind == JsonValueKind.String)
            {
                return error.GetString()!;
            }
        }
        catch (JsonException)
        {
            // not JSON: show the start of the body
        }

        return body.Length > 200 ? body[..200] : body;
    }
}

/// <summary>The first input of a served model and its class count (0 when the daemon lists no class names).</summary>
internal sealed record ServedSignature(string InputName, IReadOnlyList<long> Shape, int Classes)
{
    /// <summary>Gets the values per row: the product of the dimensions after the first, or null when one is symbolic.</summary>
    public long? RowSize => this.Shape.Skip(1).Any(dimension => dimension < 0) ? null : this.Shape.Skip(1).Aggregate(1L, (product, dimension) => product * dimension);
}

/// <summary>The prediction ids of a successful request, or the error of a failed one.</summary>
internal sealed record InferReply(string[]? PredictionIds, string? Error);

/// <summary>The outcome of one feedback request.</summary>
internal sealed record FeedbackReply(int Scored, int Rejected, int Correct, string? Error);

/// <summary>A prediction waiting for its true label to be sent.</summary>
internal sealed record PendingFeedback(DateTimeOffset Due, string PredictionId, int Label);
