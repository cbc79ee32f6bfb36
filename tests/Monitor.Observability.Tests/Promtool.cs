using System.Diagnostics;

namespace Monitor.Observability.Tests;

/// <summary>Runs Prometheus's <c>promtool</c>, found through <c>PROMTOOL</c> or on <c>PATH</c>.</summary>
internal static class Promtool
{
    public const string EnvironmentVariable = "PROMTOOL";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Exit code and the combined standard output and error of one promtool run.</summary>
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(params string[] arguments)
    {
        ProcessStartInfo startInfo = new(FindExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Starting '{startInfo.FileName}' failed.");
        Task<string> standardOutput = process.StandardOutput.ReadToEndAsync();
        Task<string> standardError = process.StandardError.ReadToEndAsync();

        using CancellationTokenSource timeout = new(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"promtool {string.Join(' ', arguments)} timed out after {Timeout.TotalMinutes} minutes.");
        }

        return new Result(process.ExitCode, await standardOutput + await standardError);
    }

    private static string FindExecutable()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new FileNotFoundException($"{EnvironmentVariable} is set to '{configured}', which does not exist.", configured);
        }

        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "promtool");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"promtool was not found on PATH. Install the Debian package prometheus (apt-get install prometheus), or set {EnvironmentVariable} to the promtool binary.");
    }
}
