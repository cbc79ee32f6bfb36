using Microsoft.ML.OnnxRuntime;

namespace Monitor.Cli;

/// <summary>Opens ONNX Runtime sessions on the CPU for the command-line verbs.</summary>
internal static class ModelSessions
{
    /// <summary>Creates a CPU session. The caller owns it and must dispose it.</summary>
    /// <exception cref="CommandException">ONNX Runtime cannot load the file (exit code 2).</exception>
    public static InferenceSession Open(string modelPath)
    {
        using Microsoft.ML.OnnxRuntime.SessionOptions options = new()
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };

        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException exception)
        {
            throw CommandException.Usage($"'{modelPath}' could not be loaded as an ONNX model: {exception.Message}", exception);
        }
    }
}
