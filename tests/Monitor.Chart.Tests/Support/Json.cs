using System.Text.Json;

namespace Monitor.Chart.Tests.Support;

/// <summary>Lookups on rendered objects.</summary>
internal static class Json
{
    /// <summary>Returns the value at a dotted path (keys only), or null when a key is missing.</summary>
    public static JsonElement? At(this JsonElement element, string path)
    {
        JsonElement current = element;
        foreach (string key in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Returns the string at a dotted path, or null.</summary>
    public static string? StringAt(this JsonElement element, string path) =>
        element.At(path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>Returns the boolean at a dotted path, or null.</summary>
    public static bool? BooleanAt(this JsonElement element, string path) =>
        element.At(path) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    /// <summary>Returns the elements of the array at a dotted path; a missing array is empty.</summary>
    public static IReadOnlyList<JsonElement> ArrayAt(this JsonElement element, string path) =>
        element.At(path) is { ValueKind: JsonValueKind.Array } value ? [.. value.EnumerateArray()] : [];

    /// <summary>Returns the string map (labels, annotations, data) at a dotted path; a missing map is empty.</summary>
    public static IReadOnlyDictionary<string, string> StringMapAt(this JsonElement element, string path) =>
        element.At(path) is { ValueKind: JsonValueKind.Object } value
            ? value.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Returns the container port with the given name.</summary>
    public static JsonElement PortNamed(this JsonElement container, string name) =>
        container.ArrayAt("ports").Single(port => port.StringAt("name") == name);
}
