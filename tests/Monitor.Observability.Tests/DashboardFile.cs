using System.Text.Json;
using System.Text.Json.Nodes;

namespace Monitor.Observability.Tests;

/// <summary>A PromQL expression of a dashboard and where it sits, for failure messages.</summary>
internal sealed record DashboardQuery(string Location, string Expression);

/// <summary>A Grafana dashboard JSON file.</summary>
internal sealed class DashboardFile
{
    private DashboardFile(string path, JsonObject root)
    {
        this.Path = path;
        this.Root = root;
    }

    public static IReadOnlyList<DashboardFile> LoadAll() => RepositoryPaths.DashboardFiles().Select(Load).ToArray();

    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(this.Path);

    public JsonObject Root { get; }

    /// <summary>Gets every panel, including the panels inside collapsed rows.</summary>
    public IReadOnlyList<JsonObject> Panels => Flatten(this.Root["panels"]).ToArray();

    public IReadOnlyList<JsonObject> Variables =>
        (this.Root["templating"]?["list"] as JsonArray ?? []).OfType<JsonObject>().ToArray();

    /// <summary>Gets the expressions of every panel target and annotation, and the queries of the variables.</summary>
    public IReadOnlyList<DashboardQuery> Queries
    {
        get
        {
            List<DashboardQuery> queries = [];
            foreach (JsonObject panel in this.Panels)
            {
                foreach (JsonObject target in (panel["targets"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    string? expression = (string?)target["expr"];
                    if (expression is not null)
                    {
                        queries.Add(new DashboardQuery($"{this.Name}: panel '{panel["title"]}' target {target["refId"]}", expression));
                    }
                }
            }

            foreach (JsonObject annotation in (this.Root["annotations"]?["list"] as JsonArray ?? []).OfType<JsonObject>())
            {
                string? expression = (string?)annotation["expr"];
                if (expression is not null)
                {
                    queries.Add(new DashboardQuery($"{this.Name}: annotation '{annotation["name"]}'", expression));
                }
            }

            return queries;
        }
    }

    /// <summary>Gets every <c>datasource</c> property anywhere in the file, with its JSON path.</summary>
    public IReadOnlyList<(string Path, JsonNode? Value)> DatasourceReferences
    {
        get
        {
            List<(string, JsonNode?)> references = [];
            Collect(this.Root);
            return references;

            void Collect(JsonNode? node)
            {
                switch (node)
                {
                    case JsonObject map:
                        foreach ((string key, JsonNode? value) in map)
                        {
                            if (key == "datasource")
                            {
                                references.Add((value?.GetPath() ?? map.GetPath() + ".datasource", value));
                            }
                            else
                            {
                                Collect(value);
                            }
                        }

                        break;
                    case JsonArray array:
                        foreach (JsonNode? item in array)
                        {
                            Collect(item);
                        }

                        break;
                }
            }
        }
    }

    public static DashboardFile Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"'{RepositoryPaths.Relative(path)}' is not valid JSON: {exception.Message}", exception);
        }

        return root is JsonObject map
            ? new DashboardFile(path, map)
            : throw new InvalidDataException($"'{RepositoryPaths.Relative(path)}' is not a JSON object.");
    }

    private static IEnumerable<JsonObject> Flatten(JsonNode? panels)
    {
        foreach (JsonObject panel in (panels as JsonArray ?? []).OfType<JsonObject>())
        {
            yield return panel;
            foreach (JsonObject nested in Flatten(panel["panels"]))
            {
                yield return nested;
            }
        }
    }
}
