using System.Text.Json;

namespace Monitor.Cli;

/// <summary>JSON settings of the verbs' <c>--json</c> output: snake_case names, as the Open Inference Protocol uses.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
