using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Monitor.Observability.Tests;

/// <summary>Reads YAML into <see cref="JsonNode"/> so that rules, promtool tests and dashboards are walked alike.</summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    private static readonly ISerializer JsonSerializer = new SerializerBuilder().JsonCompatible().Build();

    /// <summary>Parses a YAML file. Every scalar becomes a JSON string, whatever its YAML type.</summary>
    public static JsonNode Load(string path)
    {
        object? document = Deserializer.Deserialize(File.ReadAllText(path));
        return JsonNode.Parse(JsonSerializer.Serialize(document))
            ?? throw new InvalidDataException($"'{path}' is an empty YAML document.");
    }

    public static string? Text(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? node.GetValue<string>()
        : node?.ToJsonString();

    public static IEnumerable<JsonNode> Items(JsonNode? node) =>
        node is JsonArray array ? array.Where(item => item is not null).Select(item => item!) : [];

    public static IReadOnlyDictionary<string, string> Strings(JsonNode? node) =>
        node is JsonObject map
            ? map.ToDictionary(pair => pair.Key, pair => Text(pair.Value) ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
