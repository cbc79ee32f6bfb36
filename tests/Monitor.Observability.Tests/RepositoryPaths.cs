namespace Monitor.Observability.Tests;

/// <summary>Paths of the repository files that these tests read.</summary>
/// <remarks>
/// Note: <c>Monitor.Testing.Fixtures.RepositoryRoot</c> is not used because its type initializer
/// also requires the model fixtures folder, which these tests do not need.
/// </remarks>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string RulesFile => Path.Combine(Root, "helm", "monitor", "files", "prometheus-rules.yaml");

    public static string RuleTestsDirectory => Path.Combine(Root, "tests", "rules");

    public static string DashboardsDirectory => Path.Combine(Root, "dashboards");

    public static string MetricsReference => Path.Combine(Root, "docs", "metrics.md");

    public static string Runbooks => Path.Combine(Root, "docs", "runbooks.md");

    public static IReadOnlyList<string> RuleTestFiles() =>
        Directory.Exists(RuleTestsDirectory)
            ? Directory.GetFiles(RuleTestsDirectory, "*.yaml").Order(StringComparer.Ordinal).ToArray()
            : [];

    public static IReadOnlyList<string> DashboardFiles() =>
        Directory.Exists(DashboardsDirectory)
            ? Directory.GetFiles(DashboardsDirectory, "*.json").Order(StringComparer.Ordinal).ToArray()
            : [];

    public static string Relative(string path) => Path.GetRelativePath(Root, path);

    private static string FindRoot()
    {
        for (DirectoryInfo? current = new(AppContext.BaseDirectory); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, "Monitor.sln")))
            {
                return current.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Monitor.sln was found above '{AppContext.BaseDirectory}'.");
    }
}
