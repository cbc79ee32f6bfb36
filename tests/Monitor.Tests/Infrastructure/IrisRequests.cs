using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace Monitor.Tests.Infrastructure;

/// <summary>Iris rows, their request bodies and reference outputs from ONNX Runtime in the test process.</summary>
internal static class IrisRequests
{
    public static readonly float[][] Rows =
    [
        [5.1f, 3.5f, 1.4f, 0.2f], [4.9f, 3.0f, 1.4f, 0.2f], [7.0f, 3.2f, 4.7f, 1.4f], [6.4f, 3.2f, 4.5f, 1.5f],
        [6.3f, 3.3f, 6.0f, 2.5f], [5.8f, 2.7f, 5.1f, 1.9f], [5.7f, 2.8f, 4.1f, 1.3f], [6.5f, 3.0f, 5.8f, 2.2f],
    ];

    public static string Body(float[] row) =>
        "{\"inputs\":[{\"name\":\"keras_tensor\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":["
        + string.Join(",", row.Select(value => value.ToString("R", CultureInfo.InvariantCulture))) + "]}]}";

    /// <summary>Runs every row alone through a model with the iris signature.</summary>
    public static float[][] Reference(InferenceSession session) =>
        Rows.Select(row =>
        {
            using RunOptions options = new();
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(row, [1, 4]);
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, ["keras_tensor"], [input], ["output_0"]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }).ToArray();
}
