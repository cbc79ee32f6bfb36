using System.Text.Json;

namespace Monitor.Chart.Tests.Support;

/// <summary>Renders helm/monitor with chart-render, as helm template would.</summary>
internal static class ChartRenderer
{
    public const string ReleaseName = "monitor";

    public const string Namespace = "serving";

    /// <summary>Gets the example values files under helm/monitor/examples, by file name.</summary>
    public static IReadOnlyList<string> ExampleFiles() =>
        [.. Directory.GetFiles(Path.Combine(ChartTools.ChartDirectory, "examples"), "*.yaml")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    /// <summary>Renders with the chart's defaults, or with one example values file laid over them.</summary>
    public static RenderResult RenderExample(string? exampleFile)
    {
        string[] valueFiles = exampleFile is null
            ? []
            : [Path.Combine(ChartTools.ChartDirectory, "examples", exampleFile)];
        return Render(valueFiles);
    }

    /// <summary>Renders with values given as YAML text, laid over the chart's defaults.</summary>
    public static RenderResult RenderValues(string valuesYaml)
    {
        string directory = NewRenderDirectory();
        string valuesFile = Path.Combine(directory, "values.yaml");
        File.WriteAllText(valuesFile, valuesYaml);
        return Render([valuesFile], directory);
    }

    /// <summary>Renders with the given values files, later files winning.</summary>
    public static RenderResult Render(IReadOnlyList<string> valueFiles, string? outputDirectory = null)
    {
        outputDirectory ??= NewRenderDirectory();
        List<string> arguments =
        [
            "template",
            "--chart", ChartTools.ChartDirectory,
            "--release-name", ReleaseName,
            "--namespace", Namespace,
            "--output-dir", outputDirectory,
        ];
        foreach (string file in valueFiles)
        {
            arguments.Add("--values");
            arguments.Add(file);
        }

        ProcessResult result = ProcessRunner.Run(
            ChartTools.Renderer, arguments, ChartTools.RepositoryRoot, TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0)
        {
            return new RenderResult(result.ExitCode, result.StandardError, outputDirectory, []);
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(outputDirectory, "manifests.json")));
        List<Manifest> manifests =
        [
            .. document.RootElement.EnumerateArray().Select(entry => new Manifest(
                entry.GetProperty("source").GetString()!,
                entry.GetProperty("object").Clone())),
        ];
        return new RenderResult(result.ExitCode, result.StandardError, outputDirectory, manifests);
    }

    /// <summary>Converts a YAML file to JSON with the renderer's strict YAML parser.</summary>
    public static JsonElement ReadYaml(string file)
    {
        ProcessResult result = ProcessRunner.Run(
            ChartTools.Renderer, ["yaml2json", file], ChartTools.RepositoryRoot, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"'{file}' is not valid YAML:\n{result.Output}");
        using JsonDocument document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    private static string NewRenderDirectory()
    {
        // building the renderer clears old renders, so it must happen before this folder exists
        _ = ChartTools.Renderer;
        string directory = Path.Combine(ChartTools.WorkDirectory, "renders", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
