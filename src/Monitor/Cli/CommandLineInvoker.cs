using System.CommandLine;
using System.CommandLine.Invocation;

namespace Monitor.Cli;

/// <summary>
/// Parses and invokes the command line with the exit codes of <see cref="ExitCodes"/>: a parse error is reported
/// as one line with exit code 2, instead of System.CommandLine's default of help text and exit code 1.
/// </summary>
internal static class CommandLineInvoker
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            string verb = parse.CommandResult.Command == root ? "monitor" : $"monitor {parse.CommandResult.Command.Name}";
            IEnumerable<string> messages = parse.Errors.Select(error =>
                string.Join(' ', error.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            string errors = string.Join(" ", messages.Distinct().Select(message => message.EndsWith('.') ? message : message + "."));
            await Console.Error.WriteLineAsync($"{verb}: {errors} Run '{verb} --help' for usage.");
            return ExitCodes.Usage;
        }

        // Console.Out and Console.Error are read now, so that a caller that redirected them gets the output.
        InvocationConfiguration configuration = new() { Output = Console.Out, Error = Console.Error };
        return await parse.InvokeAsync(configuration);
    }
}
