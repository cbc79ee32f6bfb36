using System.Text.Json;
using Monitor.Demo;
using Monitor.Quality;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests.Cli;

[Collection(CommandLineCollection.Name)]
public sealed class EvaluateCommandTests
{
    [Fact]
    public async Task Evaluate_MnistMlp_MatchesDocumentedAccuracy()
    {
        JsonElement result = await EvaluateAsync(Fixtures.PathOf(Fixtures.MnistMlp), Fixtures.PathOf(Fixtures.MnistImages));

        Assert.Equal(10_000, result.GetProperty("rows").GetInt32());
        Assert.Equal(9804, result.GetProperty("correct").GetInt64());
        Assert.Equal(0.9804, result.GetProperty("accuracy").GetDouble(), precision: 10);
        Assert.Equal("categorical_crossentropy", result.GetProperty("loss_name").GetString());
        Assert.InRange(result.GetProperty("loss").GetDouble(), 0.01, 1);
        Assert.True(result.GetProperty("rows_per_second").GetDouble() > 0);

        JsonElement matrix = result.GetProperty("confusion_matrix");
        Assert.Equal(10, matrix.GetArrayLength());
        long diagonal = Enumerable.Range(0, 10).Sum(i => matrix[i][i].GetInt64());
        long total = matrix.EnumerateArray().Sum(row => row.EnumerateArray().Sum(cell => cell.GetInt64()));
        Assert.Equal(9804, diagonal);
        Assert.Equal(10_000, total);
        Assert.Equal(10, result.GetProperty("classes").GetArrayLength());
    }

    [Fact]
    public async Task Evaluate_MnistCnn_WithScale()
    {
        JsonElement result = await EvaluateAsync(
            Fixtures.PathOf(Fixtures.MnistCnn), Fixtures.PathOf(Fixtures.MnistImages), "--scale", "0.00392156862745098", "--batch-size", "500");

        Assert.Equal(9957, result.GetProperty("correct").GetInt64());
        Assert.Equal(10_000, result.GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task Evaluate_Iris_MatchesDocumentedAccuracy()
    {
        JsonElement result = await EvaluateAsync(Fixtures.PathOf(Fixtures.IrisMlp), Fixtures.PathOf(Fixtures.IrisCsv));

        Assert.Equal(150, result.GetProperty("rows").GetInt32());
        Assert.Equal(146, result.GetProperty("correct").GetInt64());

        // the four errors are versicolor rows predicted as virginica
        JsonElement classes = result.GetProperty("classes");
        Assert.Equal("setosa", classes[0].GetProperty("name").GetString());
        Assert.Equal(1.0, classes[1].GetProperty("precision").GetDouble());
        Assert.Equal(0.92, classes[1].GetProperty("recall").GetDouble(), precision: 10);
        Assert.Equal(50.0 / 54, classes[2].GetProperty("precision").GetDouble(), precision: 10);
        Assert.Equal(4, result.GetProperty("confusion_matrix")[1][2].GetInt64());
    }

    [Fact]
    public async Task Evaluate_ModelFolder_AppliesSettingsScale()
    {
        // the MLP was trained on raw pixels, so dividing them by 255 drops it to the documented 9.74 %
        string repository = Path.Combine(Path.GetTempPath(), "monitor-tests", Guid.NewGuid().ToString("N"));
        new RepositoryBuilder(repository).AddFixture("mnist", Fixtures.MnistMlp, settingsJson: """{ "input": { "scale": 0.00392156862745098 } }""");
        try
        {
            JsonElement result = await EvaluateAsync(Path.Combine(repository, "mnist"), Fixtures.PathOf(Fixtures.MnistImages));

            Assert.Equal("mnist", result.GetProperty("model").GetString());
            Assert.Equal(974, result.GetProperty("correct").GetInt64());

            JsonElement overridden = await EvaluateAsync(Path.Combine(repository, "mnist"), Fixtures.PathOf(Fixtures.MnistImages), "--scale", "1");
            Assert.Equal(9804, overridden.GetProperty("correct").GetInt64());
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    [Fact]
    public async Task Evaluate_Limit_ReadsFirstRows()
    {
        JsonElement result = await EvaluateAsync(Fixtures.PathOf(Fixtures.IrisMlp), Fixtures.PathOf(Fixtures.IrisCsv), "--limit", "50");

        Assert.Equal(50, result.GetProperty("rows").GetInt32());
        Assert.Equal(50, result.GetProperty("correct").GetInt64());
    }

    [Fact]
    public async Task Evaluate_DemoSample_WritesReferenceProfile()
    {
        string repository = Path.Combine(Path.GetTempPath(), "monitor-tests", Guid.NewGuid().ToString("N"));
        string modelDirectory = DemoModelBuilder.Build(repository);
        try
        {
            CommandLineRun run = await CommandLineRun.InvokeAsync(
                "evaluate", modelDirectory, Path.Combine(modelDirectory, DemoModelBuilder.SampleFileName), "--write-profile");

            Assert.Equal(0, run.ExitCode);
            Assert.Contains("accuracy", run.Output, StringComparison.Ordinal);
            Assert.Contains("normal", run.Output, StringComparison.Ordinal);

            string profilePath = Path.Combine(modelDirectory, "reference.json");
            Assert.True(File.Exists(profilePath), $"{profilePath} was not written.");
            ReferenceProfile profile = ReferenceProfile.Load(profilePath);
            Assert.Equal(["normal", "worn", "faulty"], profile.ClassNames);
            Assert.Equal(600, profile.Rows);
            Assert.NotNull(profile.Accuracy);
            Assert.InRange(profile.Accuracy.Value, 0.8, 1.0);
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    [Fact]
    public async Task Evaluate_WriteProfilePath_WritesThere()
    {
        string directory = Path.Combine(Path.GetTempPath(), "monitor-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string profilePath = Path.Combine(directory, "iris-reference.json");
        try
        {
            JsonElement result = await EvaluateAsync(
                Fixtures.PathOf(Fixtures.IrisMlp), Fixtures.PathOf(Fixtures.IrisCsv), "--write-profile", profilePath);

            Assert.Equal(profilePath, result.GetProperty("profile_path").GetString());
            ReferenceProfile profile = ReferenceProfile.Load(profilePath);
            Assert.Equal(150, profile.Rows);
            Assert.Equal(146.0 / 150, profile.Accuracy!.Value, precision: 10);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<JsonElement> EvaluateAsync(params string[] args)
    {
        CommandLineRun run = await CommandLineRun.InvokeAsync(["evaluate", .. args, "--json"]);
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Error}");
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }
}
