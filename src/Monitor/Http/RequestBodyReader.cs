using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Monitor.Inference;
using Monitor.Telemetry;

namespace Monitor.Http;

/// <summary>Parses a JSON request body within the configured size and nesting limits.</summary>
internal static class RequestBodyReader
{
    /// <summary>The deepest JSON nesting accepted: enough for rank-8 tensors inside the protocol's envelope.</summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <exception cref="InferenceRequestException">The body is too large, empty or not valid JSON.</exception>
    public static async Task<JsonDocument> ParseAsync(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(request.ContentLength.Value, maxBytes);
        }

        try
        {
            return await JsonDocument.ParseAsync(request.Body, DocumentOptions, request.HttpContext.RequestAborted);
        }
        catch (JsonException exception)
        {
            string reason = exception.Message.Split(" Path:", 2)[0];
            throw new InferenceRequestException($"The request body is not valid JSON: {reason} Send a JSON object (Content-Type: application/json).", exception);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null, maxBytes, exception);
        }
    }

    private static InferenceRequestException TooLarge(long? length, long maxBytes, Exception? inner = null) =>
        new(StatusCodes.Status413PayloadTooLarge, Outcomes.BadRequest,
            $"The request body{(length is null ? string.Empty : $" of {length} bytes")} is over the limit of {maxBytes} bytes (Monitor:MaxRequestBodyBytes); send fewer rows per request.",
            null, inner);
}
