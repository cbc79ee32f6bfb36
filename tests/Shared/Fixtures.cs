namespace Monitor.Testing;

/// <summary>
/// Locates the shared test fixtures: Keras-exported ONNX models and labelled datasets.
/// </summary>
/// <remarks>
/// The folder is <c>MONITOR_FIXTURES</c> when that environment variable is set, else the
/// <c>shared/fixtures</c> folder beside the repository root. A missing folder or file fails
/// the test instead of skipping it.
/// </remarks>
internal static class Fixtures
{
    public const string EnvironmentVariable = "MONITOR_FIXTURES";

    public const string MnistMlp = "keras-mnist-mlp-784-300-50-10.onnx";

    public const string MnistCnn = "keras-mnist-cnn-nhwc.onnx";

    public const string IrisMlp = "keras-iris-mlp-tf2onnx.onnx";

    public const string MnistImages = "mnist-t10k-images.idx3-ubyte.gz";

    public const string MnistLabels = "mnist-t10k-labels.idx1-ubyte.gz";

    public const string IrisCsv = "iris.csv";

    public const string SklearnDigitsCsv = "sklearn-digits.csv.gz";

    public static string Directory { get; } = FindDirectory();

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string PathOf(string fileName)
    {
        string path = Path.Combine(Directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Fixture '{fileName}' was not found in '{Directory}'. Set {EnvironmentVariable} to the fixtures folder.",
                path);
        }

        return path;
    }

    private static string FindDirectory()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        string directory = string.IsNullOrEmpty(configured)
            ? Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "fixtures"))
            : Path.GetFullPath(configured);

        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Fixtures folder '{directory}' does not exist. Set {EnvironmentVariable} to the folder that contains the Keras-exported ONNX models.");
        }

        return directory;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? current = new(AppContext.BaseDirectory); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, "Monitor.sln")))
            {
                return current.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Monitor.sln above '{AppContext.BaseDirectory}'.");
    }
}
