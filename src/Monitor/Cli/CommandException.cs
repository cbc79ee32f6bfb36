namespace Monitor.Cli;

/// <summary>A failure that a verb reports as one line on standard error, with the exit code to return.</summary>
public sealed class CommandException : Exception
{
    public CommandException()
        : this(ExitCodes.Failure, "The command failed.")
    {
    }

    public CommandException(string message)
        : this(ExitCodes.Failure, message)
    {
    }

    public CommandException(string message, Exception innerException)
        : base(message, innerException)
    {
        this.ExitCode = ExitCodes.Failure;
    }

    public CommandException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        this.ExitCode = exitCode;
    }

    /// <summary>Gets the process exit code: <see cref="ExitCodes.Usage"/> or <see cref="ExitCodes.Failure"/>.</summary>
    public int ExitCode { get; }

    /// <summary>Creates the exception for invalid command-line values or input files (exit code 2).</summary>
    public static CommandException Usage(string message, Exception? innerException = null) =>
        new(ExitCodes.Usage, message, innerException);

    /// <summary>Creates the exception for a run that failed after its input was accepted (exit code 1).</summary>
    public static CommandException Failure(string message, Exception? innerException = null) =>
        new(ExitCodes.Failure, message, innerException);
}
