namespace Monitor.Cli;

/// <summary>Exit codes of every verb, so that scripts can tell bad input from a failed run.</summary>
public static class ExitCodes
{
    /// <summary>The verb did its work.</summary>
    public const int Success = 0;

    /// <summary>The verb started but failed: a daemon that does not respond, a model that fails to run, a file that cannot be written.</summary>
    public const int Failure = 1;

    /// <summary>The command line or an input file is invalid: a missing file, an unknown column, a shape that does not fit the model.</summary>
    public const int Usage = 2;
}
