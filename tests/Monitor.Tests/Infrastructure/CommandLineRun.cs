using Monitor.Cli;

namespace Monitor.Tests.Infrastructure;

/// <summary>
/// Invokes the <c>monitor</c> command line in process with Console.Out and Console.Error redirected. Console is
/// global, so callers belong to <see cref="CommandLineCollection"/>, which runs alone.
/// </summary>
public sealed record CommandLineRun(int ExitCode, string Output, string Error)
{
    public static async Task<CommandLineRun> InvokeAsync(params string[] args)
    {
        TextWriter originalOut = Console.Out;
        TextWriter originalError = Console.Error;
        using StringWriter output = new();
        using StringWriter error = new();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int exitCode = await MonitorCommandLine.InvokeAsync(args);
            return new CommandLineRun(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }

    /// <summary>Gets the non-empty lines of standard error.</summary>
    public string[] ErrorLines => this.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Tests that redirect Console; xunit runs this collection with no other test in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CommandLineCollection
{
    public const string Name = "command line";
}
