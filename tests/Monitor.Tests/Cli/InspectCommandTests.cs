using System.Text.Json;
using Google.Protobuf;
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
    private static byte[] FixedBatchInt64Identity()
    {
        const int Int64ElementType = 7;

        byte[] node = Message(writer =>
        {
            writer.WriteTag(1, WireFormat.WireType.LengthDelimited);
            writer.WriteString("x");
            writer.WriteTag(2, WireFormat.WireType.LengthDelimited);
            writer.WriteString("y");
            writer.WriteTag(4, WireFormat.WireType.LengthDelimited);
            writer.WriteString("Identity");
        });
        byte[] graph = Message(writer =>
        {
            WriteMessage(writer, 1, node);
            writer.WriteTag(2, WireFormat.WireType.LengthDelimited);
            writer.WriteString("identity");
            WriteMessage(writer, 11, ValueInfo("x", Int64ElementType));
            WriteMessage(writer, 12, ValueInfo("y", Int64ElementType));
        });
        byte[] opset = Message(writer =>
        {
            writer.WriteTag(2, WireFormat.WireType.Varint);
            writer.WriteInt64(13);
        });
        return Message(writer =>
        {
            writer.WriteTag(1, WireFormat.WireType.Varint);
            writer.WriteInt64(8);
            writer.WriteTag(2, WireFormat.WireType.LengthDelimited);
            writer.WriteString("monitor-tests");
            WriteMessage(writer, 7, graph);
            WriteMessage(writer, 8, opset);
        });
    }

    /// <summary>Builds a ValueInfoProto of a [1, 4] tensor.</summary>
    private static byte[] ValueInfo(string name, int elementType)
    {
        byte[] shape = Message(writer =>
        {
            foreach (long size in new long[] { 1, 4 })
            {
                WriteMessage(writer, 1, Message(dimension =>
                {
                    dimension.WriteTag(1, WireFormat.WireType.Varint);
                    dimension.WriteInt64(size);
                }));
            }
        });
        byte[] tensor = Message(writer =>
        {
            writer.WriteTag(1, WireFormat.WireType.Varint);
            writer.WriteInt32(elementType);
            WriteMessage(writer, 2, shape);
        });
        return Message(writer =>
        {
            writer.WriteTag(1, WireFormat.WireType.LengthDelimited);
            writer.WriteString(name);
            WriteMessage(writer, 2, Message(type => WriteMessage(type, 1, tensor)));
        });
    }

    private static void WriteMessage(CodedOutputStream writer, int field, byte[] message)
    {
        writer.WriteTag(field, WireFormat.WireType.LengthDelimited);
        writer.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using MemoryStream stream = new();
        CodedOutputStream writer = new(stream);
        write(writer);
        writer.Flush();
        return stream.ToArray();
    }

    private static long[] Longs(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetInt64())];

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetString()!)];
}
