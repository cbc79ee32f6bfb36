using System.Text.Json;
using Monitor.Demo;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests.Cli;

[Collection(CommandLineCollection.Name)]
public sealed class InspectCommandTests
{
    [Fact]
    public async Task Inspect_MnistMlp_ReportsSignature()
    {
        JsonElement model = await InspectOneAsync(Fixtures.MnistMlp);

        Assert.Equal("keras2onnx", model.GetProperty("producer").GetString());
        Assert.Equal("1.7.0", model.GetProperty("producer_version").GetString());
        Assert.Equal(11, model.GetProperty("opset").GetInt64());
        Assert.Equal(6, model.GetProperty("ir_version").GetInt64());

        JsonElement input = model.GetProperty("inputs")[0];
        Assert.Equal("flatten_input", input.GetProperty("name").GetString());
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        Assert.Equal([-1L, 28, 28, 1], Longs(input.GetProperty("shape")));

        JsonElement output = model.GetProperty("outputs")[0];
        Assert.Equal("dense_2", output.GetProperty("name").GetString());
        Assert.Equal([-1L, 10], Longs(output.GetProperty("shape")));

        JsonElement inferred = model.GetProperty("inferred");
        Assert.Equal("classification", inferred.GetProperty("task").GetString());
        Assert.Equal(10, inferred.GetProperty("classes").GetInt32());
        Assert.Equal("NHWC", inferred.GetProperty("image_layout").GetString());
        Assert.True(inferred.GetProperty("batching").GetBoolean());
        Assert.Equal(0, model.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task Inspect_MnistCnn_ReportsSignature()
    {
        JsonElement model = await InspectOneAsync(Fixtures.MnistCnn);

        Assert.Equal("keras2onnx", model.GetProperty("producer").GetString());
        Assert.Equal("1.6.0", model.GetProperty("producer_version").GetString());
        Assert.Equal(11, model.GetProperty("opset").GetInt64());

        JsonElement input = model.GetProperty("inputs")[0];
        Assert.Equal("conv2d_5_input", input.GetProperty("name").GetString());
        Assert.Equal([-1L, 28, 28, 1], Longs(input.GetProperty("shape")));

        JsonElement output = model.GetProperty("outputs")[0];
        Assert.Equal("dense_6", output.GetProperty("name").GetString());
        Assert.Equal([-1L, 10], Longs(output.GetProperty("shape")));
        Assert.Equal("NHWC", model.GetProperty("inferred").GetProperty("image_layout").GetString());
    }

    [Fact]
    public async Task Inspect_Iris_ShowsSymbolicDimensions()
    {
        JsonElement model = await InspectOneAsync(Fixtures.IrisMlp);

        Assert.Equal("tf2onnx", model.GetProperty("producer").GetString());
        Assert.Equal(15, model.GetProperty("opset").GetInt64());
        Assert.Contains(
            model.GetProperty("opsets").EnumerateArray(),
            set => set.GetProperty("domain").GetString() == "ai.onnx.ml" && set.GetProperty("version").GetInt64() == 2);

        JsonElement input = model.GetProperty("inputs")[0];
        Assert.Equal("keras_tensor", input.GetProperty("name").GetString());
        Assert.Equal([-1L, 4], Longs(input.GetProperty("shape")));
        Assert.Equal(["unk__6", "4"], Strings(input.GetProperty("dimensions")));

        JsonElement output = model.GetProperty("outputs")[0];
        Assert.Equal("output_0", output.GetProperty("name").GetString());
        Assert.Equal(["unk__7", "3"], Strings(output.GetProperty("dimensions")));

        JsonElement inferred = model.GetProperty("inferred");
        Assert.Equal(JsonValueKind.Null, inferred.GetProperty("image_layout").ValueKind);
        Assert.Equal(3, inferred.GetProperty("classes").GetInt32());
    }

    [Fact]
    public async Task Inspect_Repository_ListsEveryModel()
    {
        string repository = Path.Combine(Path.GetTempPath(), "monitor-tests", Guid.NewGuid().ToString("N"));
        new RepositoryBuilder(repository)
            .AddFixture("iris", Fixtures.IrisMlp, settingsJson: """{ "classNames": ["setosa", "versicolor", "virginica"] }""")
            .AddFixture("mnist", Fixtures.MnistMlp);
        try
        {
            CommandLineRun run = await CommandLineRun.InvokeAsync("inspect", repository, "--json");

            Assert.Equal(0, run.ExitCode);
            JsonElement models = JsonDocument.Parse(run.Output).RootElement.GetProperty("models");
            Assert.Equal(["iris", "mnist"], models.EnumerateArray().Select(model => model.GetProperty("name").GetString()!).ToArray());
            Assert.Equal(
                ["setosa", "versicolor", "virginica"],
                Strings(models[0].GetProperty("inferred").GetProperty("class_names")));
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    [Fact]
    public async Task Inspect_Text_ShowsTable()
    {
        CommandLineRun run = await CommandLineRun.InvokeAsync("inspect", Fixtures.PathOf(Fixtures.IrisMlp));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("tf2onnx 1.17.0", run.Output, StringComparison.Ordinal);
        Assert.Contains("[unk__6, 4]", run.Output, StringComparison.Ordinal);
        Assert.Contains("ai.onnx 15", run.Output, StringComparison.Ordinal);
        Assert.Contains("possible (symbolic first dimension)", run.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task Inspect_FixedBatchInt64_Warns()
    {
        string directory = Path.Combine(Path.GetTempPath(), "monitor-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "identity.onnx");
        await File.WriteAllBytesAsync(path, FixedBatchInt64Identity());
        try
        {
            JsonElement model = await InspectOneAsync(path);

            Assert.Equal("monitor-tests", model.GetProperty("producer").GetString());
            Assert.Equal(13, model.GetProperty("opset").GetInt64());
            Assert.Equal("INT64", model.GetProperty("inputs")[0].GetProperty("datatype").GetString());
            Assert.Equal([1L, 4], Longs(model.GetProperty("inputs")[0].GetProperty("shape")));
            Assert.False(model.GetProperty("inferred").GetProperty("batching").GetBoolean());

            string[] warnings = Strings(model.GetProperty("warnings"));
            Assert.Contains(warnings, warning => warning.Contains("fixed batch dimension of 1", StringComparison.Ordinal));
            Assert.Contains(warnings, warning => warning.Contains("'x' is INT64", StringComparison.Ordinal));
            Assert.Contains(warnings, warning => warning.Contains("'y' is INT64", StringComparison.Ordinal));

            CommandLineRun text = await CommandLineRun.InvokeAsync("inspect", path);
            Assert.Contains("warning: Input 'x' has a fixed batch dimension of 1", text.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<JsonElement> InspectOneAsync(string fixture)
    {
        string path = Path.IsPathRooted(fixture) ? fixture : Fixtures.PathOf(fixture);
        CommandLineRun run = await CommandLineRun.InvokeAsync("inspect", path, "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);

        JsonElement models = JsonDocument.Parse(run.Output).RootElement.GetProperty("models");
        Assert.Equal(1, models.GetArrayLength());
        return models[0].Clone();
    }

    /// <summary>
    /// Builds an ONNX model with one Identity node from INT64 input <c>x</c> [1, 4] to output <c>y</c> [1, 4]:
    /// a fixed batch dimension and tensors that are not FP32, which no fixture has.
    /// </summary>
    /// <summary>An Identity graph on an INT64 [1, 4] tensor: a fixed batch and a type the daemon does not serve.</summary>
    private static byte[] FixedBatchInt64Identity()
    {
        OnnxGraphWriter writer = new();
        writer.AddFixedInput("x", [1, 4], OnnxGraphWriter.Int64ElementType);
        writer.AddFixedOutput("y", [1, 4], OnnxGraphWriter.Int64ElementType);
        writer.AddNode("Identity", "identity", ["x"], "y");
        return writer.ToBytes("identity", "monitor-tests", "1.0");
    }

    private static long[] Longs(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetInt64())];

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetString()!)];
}
