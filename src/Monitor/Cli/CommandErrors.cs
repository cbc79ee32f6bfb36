using System.Net.Sockets;
using Microsoft.ML.OnnxRuntime;
using Monitor.Quality;

namespace Monitor.Cli;

/// <summary>
/// Runs a verb's body and turns the failures it expects into one line on standard error and an
/// exit code, so that no stack trace reaches the user.
/// </summary>
internal static class CommandErrors
{
    public static async Task<int> RunAsync(string verb, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CommandException exception)
        {
            return await ReportAsync(verb, exception.Message, exception.ExitCode);
        }
        catch (DatasetFormatException exception)
        {
            return await ReportAsync(verb, exception.Message, ExitCodes.Usage);
        }
        catch (InvalidDataException exception)
        {
            // ModelSettings.Load raises this for an invalid monitor.json
            return await ReportAsync(verb, exception.Message, ExitCodes.Usage);
        }
        catch (OnnxRuntimeException exception)
        {
            return await ReportAsync(verb, $"ONNX Runtime failed: {exception.Message}", ExitCodes.Failure);
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException socket)
        {
            return await ReportAsync(verb, $"{exception.Message} ({socket.SocketErrorCode}); check --url and that the daemon is running.", ExitCodes.Failure);
        }
        catch (HttpRequestException exception)
        {
            return await ReportAsync(verb, $"HTTP request failed: {exception.Message}", ExitCodes.Failure);
        }
        catch (IOException exception)
        {
            return await ReportAsync(verb, exception.Message, ExitCodes.Failure);
        }
        catch (UnauthorizedAccessException exception)
        {
            return await ReportAsync(verb, exception.Message, ExitCodes.Failure);
        }
        catch (OperationCanceledException)
        {
            return await ReportAsync(verb, "cancelled.", ExitCodes.Failure);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            // a bug or an unforeseen input: still one line, with the type so that it can be reported
            return await ReportAsync(verb, $"unexpected {exception.GetType().Name}: {exception.Message}", ExitCodes.Failure);
        }
    }

    private static async Task<int> ReportAsync(string verb, string message, int exitCode)
    {
        string line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        await Console.Error.WriteLineAsync($"monitor {verb}: {line}");
        return exitCode;
    }
}
