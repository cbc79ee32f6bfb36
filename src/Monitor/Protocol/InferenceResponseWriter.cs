using System.Text.Json;
using Monitor.Inference;

namespace Monitor.Protocol;

/// <summary>Writes inference responses as the Open Inference Protocol and TF Serving define them.</summary>
public static class InferenceResponseWriter
{
    /// <summary>Writes a v2 response: model, version, echoed id, parameters, then every requested output as a flat tensor.</summary>
    public static void WriteV2(
        Utf8JsonWriter writer,
        LoadedModel model,
        DecodedRequest request,
        OutputTensor[] outputs,
        ClassPrediction[]? predictions,
        IReadOnlyList<string>? predictionIds)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(outputs);

        writer.WriteStartObject();
        writer.WriteString("model_name", model.Name);
        writer.WriteString("model_version", model.VersionLabel);
        if (request.Id is not null)
        {
            writer.WriteString("id", request.Id);
        }

        WriteParameters(writer, model, request.Classification ? predictions : null, predictionIds);

        writer.WriteStartArray("outputs");
        foreach (int index in request.RequestedOutputs)
        {
            OutputTensor output = outputs[index];
            writer.WriteStartObject();
            writer.WriteString("name", output.Spec.ShortName);
            writer.WriteString("datatype", output.Spec.Datatype);
            writer.WriteStartArray("shape");
            foreach (long dimension in output.Shape)
            {
                writer.WriteNumberValue(dimension);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("data");
            foreach (float value in output.Data)
            {
                WriteFloat(writer, value);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes a TF Serving response: one prediction per row, nested by the output's row shape.</summary>
    public static void WritePredictions(Utf8JsonWriter writer, LoadedModel model, OutputTensor[] outputs, IReadOnlyList<string>? predictionIds)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);

        writer.WriteStartObject();
        writer.WriteStartArray("predictions");
        int rows = outputs.Length == 0 || outputs[0].Shape.Length == 0 ? 0 : (int)outputs[0].Shape[0];
        for (int row = 0; row < rows; row++)
        {
            if (outputs.Length == 1)
            {
                WriteRow(writer, outputs[0], row);
                continue;
            }

            writer.WriteStartObject();
            foreach (OutputTensor output in outputs)
            {
                writer.WritePropertyName(output.Spec.ShortName);
                WriteRow(writer, output, row);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (predictionIds is not null)
        {
            WriteStrings(writer, "prediction_ids", predictionIds);
        }

        writer.WriteString("model_version", model.VersionLabel);
        writer.WriteEndObject();
    }

    private static void WriteParameters(Utf8JsonWriter writer, LoadedModel model, ClassPrediction[]? predictions, IReadOnlyList<string>? predictionIds)
    {
        if (predictions is null && predictionIds is null)
        {
            return;
        }

        writer.WriteStartObject("parameters");
        if (predictionIds is not null)
        {
            WriteStrings(writer, "prediction_ids", predictionIds);
        }

        if (predictions is not null)
        {
            writer.WriteStartArray("predicted_class");
            foreach (ClassPrediction prediction in predictions)
            {
                writer.WriteNumberValue(prediction.ClassIndex);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("predicted_label");
            foreach (ClassPrediction prediction in predictions)
            {
                writer.WriteStringValue(model.ClassNames[prediction.ClassIndex]);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("confidence");
            foreach (ClassPrediction prediction in predictions)
            {
                WriteFloat(writer, prediction.Confidence);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteRow(Utf8JsonWriter writer, OutputTensor output, int row)
    {
        int rows = (int)output.Shape[0];
        int rowSize = rows == 0 ? 0 : output.Data.Length / rows;
        ReadOnlySpan<float> values = output.Data.AsSpan(row * rowSize, rowSize);
        if (output.Shape.Length == 1)
        {
            WriteFloat(writer, values[0]);
            return;
        }

        WriteNested(writer, values, output.Shape.AsSpan(1));
    }

    private static void WriteNested(Utf8JsonWriter writer, ReadOnlySpan<float> values, ReadOnlySpan<long> shape)
    {
        writer.WriteStartArray();
        if (shape.Length == 1)
        {
            foreach (float value in values)
            {
                WriteFloat(writer, value);
            }
        }
        else
        {
            int step = values.Length / (int)shape[0];
            for (int i = 0; i < shape[0]; i++)
            {
                WriteNested(writer, values.Slice(i * step, step), shape[1..]);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a float32; a non-finite output (JSON has no NaN) is written as null.</summary>
    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
