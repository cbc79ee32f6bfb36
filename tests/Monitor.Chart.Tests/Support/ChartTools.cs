using Monitor.Testing;

namespace Monitor.Chart.Tests.Support;

/// <summary>
/// Locates the tools that check the chart without a helm binary, and builds the renderer
/// (tests/chart-render/render) once per test run. A missing tool fails the test with the
/// package that provides it.
/// </summary>
internal static class ChartTools
{
    /// <summary>Debian installs Go library sources here, for GOPATH-mode builds.</summary>
    public const string DebianGoPath = "/usr/share/gocode";

    private static readonly Lazy<string> RendererPath = new(BuildRenderer, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Gets the repository root.</summary>
    public static string RepositoryRoot => Fixtures.RepositoryRoot;

    /// <summary>Gets the chart folder, helm/monitor.</summary>
    public static string ChartDirectory => Path.Combine(RepositoryRoot, "helm", "monitor");

    /// <summary>Gets the folder of the renderer and validator sources, tests/chart-render.</summary>
    public static string ToolsDirectory => Path.Combine(RepositoryRoot, "tests", "chart-render");

    /// <summary>Gets the folder under the test output that contains the renderer build and the renders.</summary>
    public static string WorkDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "chart-render");

    /// <summary>Gets the path of the built renderer, building it on first use.</summary>
    public static string Renderer => RendererPath.Value;

    /// <summary>Returns the path of node, failing when it is missing.</summary>
    public static string Node()
    {
        string? node = ProcessRunner.FindOnPath("node");
        Assert.True(node is not null, "The chart tests need Node.js to validate manifests: install the Debian package nodejs.");

        string modules = Path.Combine(ToolsDirectory, "validate", "node_modules", "kubernetes-models");
        Assert.True(
            Directory.Exists(modules),
            $"'{modules}' is missing: run 'npm ci' in tests/chart-render/validate to install the Kubernetes schemas.");
        return node!;
    }

    /// <summary>Returns the path of yamllint, failing when it is missing.</summary>
    public static string YamlLint()
    {
        string? yamllint = ProcessRunner.FindOnPath("yamllint");
        Assert.True(yamllint is not null, "The chart tests need yamllint: install the Debian package yamllint.");
        return yamllint!;
    }

    private static string BuildRenderer()
    {
        string? go = ProcessRunner.FindOnPath("go");
        Assert.True(go is not null, "The chart tests need the Go toolchain to build the chart renderer: install the Debian package golang-go.");

        (string ImportPath, string Package)[] libraries =
        [
            ("github.com/Masterminds/sprig", "golang-github-masterminds-sprig-dev"),
            ("github.com/xeipuuv/gojsonschema", "golang-github-xeipuuv-gojsonschema-dev"),
            ("sigs.k8s.io/yaml", "golang-k8s-sigs-yaml-dev"),
        ];
        foreach ((string importPath, string package) in libraries)
        {
            string source = Path.Combine(DebianGoPath, "src", importPath);
            Assert.True(
                Directory.Exists(source),
                $"The chart renderer needs the Go library {importPath} in '{source}': install the Debian package {package}.");
        }

        // Renders of earlier runs are deleted, but the Go build cache is kept.
        string renders = Path.Combine(WorkDirectory, "renders");
        if (Directory.Exists(renders))
        {
            Directory.Delete(renders, recursive: true);
        }

        Directory.CreateDirectory(WorkDirectory);
        string output = Path.Combine(WorkDirectory, "chart-render");
        Dictionary<string, string> environment = new()
        {
            // GOPATH mode resolves imports from Debian's library sources, offline.
            ["GO111MODULE"] = "off",
            ["GOPATH"] = DebianGoPath,
            ["GOFLAGS"] = string.Empty,
            ["GOCACHE"] = Path.Combine(WorkDirectory, "go-cache"),
            ["CGO_ENABLED"] = "0",
        };
        ProcessResult build = ProcessRunner.Run(
            go!,
            ["build", "-o", output, "."],
            Path.Combine(ToolsDirectory, "render"),
            TimeSpan.FromMinutes(5),
            environment);
        Assert.True(build.ExitCode == 0, $"Building the chart renderer failed:\n{build.Output}");
        return output;
    }
}
