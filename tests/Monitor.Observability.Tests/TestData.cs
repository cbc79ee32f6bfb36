namespace Monitor.Observability.Tests;

/// <summary>Theory data over the files under test, named relative to the repository root.</summary>
public static class TestData
{
    public static TheoryData<string> RuleTestFiles() => Names(RepositoryPaths.RuleTestFiles());

    public static TheoryData<string> DashboardFiles() => Names(RepositoryPaths.DashboardFiles());

    private static TheoryData<string> Names(IEnumerable<string> paths)
    {
        TheoryData<string> data = new();
        foreach (string path in paths)
        {
            data.Add(RepositoryPaths.Relative(path));
        }

        return data;
    }
}
