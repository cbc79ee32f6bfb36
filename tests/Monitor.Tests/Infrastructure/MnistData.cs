using System.Globalization;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Monitor.Quality;
using Monitor.Testing;

namespace Monitor.Tests.Infrastructure;

/// <summary>The MNIST t10k fixture, requests made from it, and in-process ONNX Runtime predictions as the reference.</summary>
internal static class MnistData
{
    private static readonly Lazy<LabelledDataset> Dataset = new(() => DatasetReader.Read(
        Fixtures.PathOf(Fixtures.MnistImages),
        new DatasetReadOptions { LabelsPath = Fixtures.PathOf(Fixtures.MnistLabels), RequireLabels = true }));

    public static LabelledDataset TestSet => Dataset.Value;

    /// <summary>Builds a v2 infer request for rows [first, first + count) as [count,28,28,1] raw pixels.</summary>
    public static string InferRequest(string inputName, int first, int count, Func<float, float>? transform = null)
    {
        StringBuilder json = new();
        json.Append("{\"inputs\":[{\"name\":\"").Append(inputName).Append("\",\"shape\":[")
            .Append(count.ToString(CultureInfo.InvariantCulture)).Append(",28,28,1],\"datatype\":\"FP32\",\"data\":[");
        for (int row = first; row < first + count; row++)
        {
            ReadOnlySpan<float> pixels = TestSet.GetRow(row);
            for (int i = 0; i < pixels.Length; i++)
            {
                if (row != first || i != 0)
                {
                    json.Append(',');
                }

                float value = transform is null ? pixels[i] : transform(pixels[i]);
                json.Append(value.ToString(CultureInfo.InvariantCulture));
            }
        }

        return json.Append("]}]}").ToString();
    }

    /// <summary>Builds a v2 infer request for the given rows, in that order, as [rows,28,28,1] raw pixels.</summary>
    public static string InferRequest(string inputName, IReadOnlyList<int> rows)
    {
        StringBuilder json = new();
        json.Append("{\"inputs\":[{\"name\":\"").Append(inputName).Append("\",\"shape\":[")
            .Append(rows.Count.ToString(CultureInfo.InvariantCulture)).Append(",28,28,1],\"datatype\":\"FP32\",\"data\":[");
        for (int index = 0; index < rows.Count; index++)
        {
            ReadOnlySpan<float> pixels = TestSet.GetRow(rows[index]);
            for (int i = 0; i < pixels.Length; i++)
            {
                if (index != 0 || i != 0)
                {
                    json.Append(',');
                }

                json.Append(pixels[i].ToString(CultureInfo.InvariantCulture));
            }
        }

        return json.Append("]}]}").ToString();
    }

    /// <summary>Predicts the class and confidence of every row in process, in batches of 500.</summary>
    public static (int Class, float Confidence)[] PredictInProcess(string fixture, float scale, int first, int count)
    {
        using InferenceSession session = new(Fixtures.PathOf(fixture));
        string input = session.InputMetadata.Keys.Single();
        string output = session.OutputMetadata.Keys.Single();
        (int, float)[] predictions = new (int, float)[count];
        for (int start = 0; start < count; start += 500)
        {
            int rows = Math.Min(500, count - start);
            float[] batch = new float[rows * 784];
            for (int row = 0; row < rows; row++)
            {
                ReadOnlySpan<float> pixels = TestSet.GetRow(first + start + row);
                for (int i = 0; i < 784; i++)
                {
                    batch[(row * 784) + i] = pixels[i] * scale;
                }
            }

            using OrtValue value = OrtValue.CreateTensorValueFromMemory(batch, [rows, 28, 28, 1]);
            using RunOptions options = new();
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, [input], [value], [output]);
            ReadOnlySpan<float> probabilities = results[0].GetTensorDataAsSpan<float>();
            for (int row = 0; row < rows; row++)
            {
                ReadOnlySpan<float> scores = probabilities.Slice(row * 10, 10);
                int best = 0;
                for (int k = 1; k < 10; k++)
                {
                    if (scores[k] > scores[best])
                    {
                        best = k;
                    }
                }

                predictions[start + row] = (best, scores[best]);
            }
        }

        return predictions;
    }
}
