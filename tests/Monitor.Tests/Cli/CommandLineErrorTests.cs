using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests.Cli;

[Collection(CommandLineCollection.Name)]
public sealed class CommandLineErrorTests
{
    public static TheoryData<string, string[], int, string> Cases()
    {
        string iris = Fixtures.PathOf(Fixtures.IrisCsv);
        string irisModel = Fixtures.PathOf(Fixtures.IrisMlp);
        string mnistModel = Fixtures.PathOf(Fixtures.MnistMlp);
        string missing = Path.Combine(Path.GetTempPath(), "monitor-tests", "missing", "model.onnx");
        return new TheoryData<string, string[], int, string>
        {
            { "inspect missing model", ["inspect", missing], 2, "was not found" },
            { "inspect non-ONNX file", ["inspect", iris], 2, "not an ONNX model" },
            { "evaluate missing model", ["evaluate", missing, iris], 2, "was not found" },
            { "evaluate missing dataset", ["evaluate", irisModel, iris + ".missing"], 2, "was not found" },
            { "evaluate unknown label column", ["evaluate", irisModel, iris, "--label-column", "species"], 2, "'species'" },
            { "evaluate shape mismatch", ["evaluate", mnistModel, iris], 2, "784" },
            { "evaluate zero limit", ["evaluate", irisModel, iris, "--limit", "0"], 2, "--limit" },
            { "evaluate bad number", ["evaluate", irisModel, iris, "--batch-size", "many"], 2, "'many'" },
            { "unknown option", ["evaluate", irisModel, iris, "--frobnicate"], 2, "--frobnicate" },
            { "replay without model", ["replay", iris], 2, "--model" },
            { "replay bad URL", ["replay", iris, "--model", "iris", "--url", "ftp://example"], 2, "--url" },
            { "replay negative rate", ["replay", iris, "--model", "iris", "--rate", "-1"], 2, "--rate" },
            { "replay unknown drift", ["replay", iris, "--model", "iris", "--drift", "sideways"], 2, "'sideways'" },
            { "evaluate without arguments", ["evaluate"], 2, "Required argument missing" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_ReportsOneLine(string name, string[] args, int exitCode, string expected)
    {
        CommandLineRun run = await CommandLineRun.InvokeAsync(args);

        Assert.True(exitCode == run.ExitCode, $"{name}: exit code {run.ExitCode}, expected {exitCode}; stderr: {run.Error}");
        AssertOneLineError(run, expected);
    }

    [Fact]
    public async Task Replay_NothingListening_ExitsWithOne()
    {
        int port = UnusedPort();

        CommandLineRun run = await CommandLineRun.InvokeAsync(
            "replay", Fixtures.PathOf(Fixtures.IrisCsv), "--model", "iris",
            "--url", "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "--duration", "5");

        Assert.Equal(1, run.ExitCode);
        AssertOneLineError(run, "refused");
    }

    [Fact]
    public async Task Help_ListsVerbs()
    {
        CommandLineRun run = await CommandLineRun.InvokeAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (string verb in new[] { "serve", "inspect", "evaluate", "replay" })
        {
            Assert.Contains(verb, run.Output, StringComparison.Ordinal);
        }
    }

    private static void AssertOneLineError(CommandLineRun run, string expected)
    {
        string[] lines = run.ErrorLines;
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}: {run.Error}");
        Assert.StartsWith("monitor", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
    }

    private static int UnusedPort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
