using System.Text.Json;

namespace Monitor.Chart.Tests.Support;

/// <summary>One rendered object and the template it came from.</summary>
internal sealed record Manifest(string Source, JsonElement Object)
{
    public string Kind => this.Object.GetProperty("kind").GetString()!;

    public string Name => this.Object.GetProperty("metadata").GetProperty("name").GetString()!;

    public override string ToString() => $"{this.Kind} {this.Name} ({this.Source})";
}

/// <summary>Outcome of one chart-render run.</summary>
internal sealed record RenderResult(int ExitCode, string Error, string OutputDirectory, IReadOnlyList<Manifest> Manifests)
{
    /// <summary>Gets the rendered manifests.yaml.</summary>
    public string ManifestsYamlPath => Path.Combine(this.OutputDirectory, "manifests.yaml");

    /// <summary>Gets the rendered manifests.json.</summary>
    public string ManifestsJsonPath => Path.Combine(this.OutputDirectory, "manifests.json");

    /// <summary>Gets the rendered NOTES.txt.</summary>
    public string Notes => File.ReadAllText(Path.Combine(this.OutputDirectory, "NOTES.txt"));

    /// <summary>Fails unless the render succeeded.</summary>
    public RenderResult EnsureSuccess(string description)
    {
        Assert.True(this.ExitCode == 0, $"Rendering the chart with {description} failed:\n{this.Error}");
        return this;
    }

    /// <summary>Returns every object of a kind.</summary>
    public IReadOnlyList<Manifest> OfKind(string kind) => [.. this.Manifests.Where(manifest => manifest.Kind == kind)];

    /// <summary>Returns the one object of a kind, failing when there are none or several.</summary>
    public Manifest Single(string kind)
    {
        IReadOnlyList<Manifest> matches = this.OfKind(kind);
        Assert.True(matches.Count == 1, $"Expected one {kind}, found {matches.Count}: {string.Join(", ", matches)}");
        return matches[0];
    }

    /// <summary>Gets the pod spec of the Deployment.</summary>
    public JsonElement PodSpec => this.Single("Deployment").Object
        .GetProperty("spec").GetProperty("template").GetProperty("spec");

    /// <summary>Gets the pod template metadata of the Deployment.</summary>
    public JsonElement PodMetadata => this.Single("Deployment").Object
        .GetProperty("spec").GetProperty("template").GetProperty("metadata");

    /// <summary>Gets the daemon container, named monitor.</summary>
    public JsonElement DaemonContainer => this.PodSpec.GetProperty("containers").EnumerateArray()
        .Single(container => container.GetProperty("name").GetString() == "monitor");

    /// <summary>Gets the data of the chart's own ConfigMap, the daemon's environment.</summary>
    public IReadOnlyDictionary<string, string> DaemonConfiguration
    {
        get
        {
            string name = this.DaemonContainer.GetProperty("envFrom")[0].GetProperty("configMapRef").GetProperty("name").GetString()!;
            Manifest configMap = this.OfKind("ConfigMap").Single(manifest => manifest.Name == name);
            return configMap.Object.GetProperty("data").EnumerateObject()
                .ToDictionary(property => property.Name, property => property.Value.GetString()!, StringComparer.Ordinal);
        }
    }
}
