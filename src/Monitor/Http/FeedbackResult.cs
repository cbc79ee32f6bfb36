using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Monitor.Http;

/// <summary>The outcome of one feedback item, as the feedback response lists it.</summary>
internal sealed record FeedbackResult(string? Id, bool Scored, bool? Correct, double? Residual, int StatusCode, string? Message)
{
    public static FeedbackResult ForScore(string id, bool? correct, double? error) =>
        new(id, true, correct, error, StatusCodes.Status200OK, null);

    public static FeedbackResult ForRejection(string? id, int statusCode, string message) =>
        new(id, false, null, null, statusCode, message);

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (this.Id is not null)
        {
            writer.WriteString("id", this.Id);
        }

        writer.WriteString("status", this.Scored ? "scored" : "rejected");
        if (this.Correct is { } correct)
        {
            writer.WriteBoolean("correct", correct);
        }

        if (this.Residual is { } error)
        {
            writer.WriteNumber("residual", error);
        }

        if (this.Message is not null)
        {
            writer.WriteString("error", this.Message);
        }

        writer.WriteEndObject();
    }
}
