using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Monitor.Inference;
using Monitor.Telemetry;

namespace Monitor.Protocol;

/// <summary>
/// Checks Open Inference Protocol requests (and TF Serving <c>instances</c>) against a model's
/// signature and decodes their tensors. Every failure names the value and the fix.
/// </summary>
public static class InferenceRequestDecoder
{

    /// <summary>Decodes a <c>POST /v2/models/{m}/infer</c> body.</summary>
    /// <param name="root">The parsed request body.</param>
    /// <param name="model">The model version that serves the request.</param>
    /// <param name="maxRows">The maximum number of rows per request.</param>
    /// <param name="maxElements">The maximum number of tensor elements per request, summed over the inputs.</param>
    /// <exception cref="InferenceRequestException">The request does not fit the protocol, the model or the limits.</exception>
    public static DecodedRequest DecodeV2(JsonElement root, LoadedModel model, int maxRows, long maxElements = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InferenceRequestException($"The request body is {TensorDataDecoder.Describe(root.ValueKind)}; send a JSON object with an 'inputs' array.");
        }

        string? id = null;
        if (root.TryGetProperty("id", out JsonElement idElement))
        {
            id = idElement.ValueKind == JsonValueKind.String
                ? ReadString(idElement, "'id'")
                : throw new InferenceRequestException($"'id' is {TensorDataDecoder.Describe(idElement.ValueKind)}; send a string or leave it out.");
        }

        if (!root.TryGetProperty("inputs", out JsonElement inputs) || inputs.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException(
                $"The request has no 'inputs' array; send {{\"inputs\": [{{\"name\": \"{model.Inputs[0].ShortName}\", \"shape\": {model.Inputs[0].FormatShape()}, \"datatype\": \"FP32\", \"data\": [...]}}]}}.");
        }

        float[]?[] buffers = new float[model.Inputs.Count][];
        long[][] shapes = new long[model.Inputs.Count][];
        int rows = -1;
        long elements = 0;
        try
        {
            foreach (JsonElement input in inputs.EnumerateArray())
            {
                int index = DecodeInput(input, model, buffers, shapes, maxRows, maxElements, ref elements);
                rows = CheckRows(rows, (int)shapes[index][0], model.Inputs[index].Name);
            }

            int missing = Array.FindIndex(buffers, buffer => buffer is null);
            if (missing >= 0)
            {
                throw new InferenceRequestException(
                    $"Input '{model.Inputs[missing].ShortName}' is missing; model '{model.Name}' needs inputs: {string.Join(", ", model.Inputs.Select(spec => spec.ShortName))}.");
            }

            int[] outputs = DecodeOutputs(root, model);
            bool classification = DecodeClassificationFlag(root);
            return new DecodedRequest(id, new InferenceInputs(buffers!, shapes, rows), outputs, classification);
        }
        catch
        {
            ReturnBuffers(buffers);
            throw;
        }
    }

    /// <summary>Decodes a TF Serving <c>POST /v1/models/{m}:predict</c> body with row-wise <c>instances</c>.</summary>
    /// <exception cref="InferenceRequestException">The request does not fit the model or the limits.</exception>
    public static DecodedRequest DecodeInstances(JsonElement root, LoadedModel model, int maxRows, long maxElements = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("instances", out JsonElement instances) || instances.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException("The request has no 'instances' array; send {\"instances\": [row, row, ...]} with one row per instance.");
        }

        if (model.Inputs.Count != 1)
        {
            // NOTE: TF Serving also accepts one object per instance for several inputs; Monitor takes
            // that form only through the v2 'infer' endpoint.
            throw new InferenceRequestException(
                $"Model '{model.Name}' has {model.Inputs.Count} inputs; send them to /v2/models/{model.Name}/infer, one tensor per input.");
        }

        int rows = instances.GetArrayLength();
        CheckRowCount(rows, maxRows, model.Inputs[0].Name);

        TensorSpec spec = model.Inputs[0];
        long[] shape = spec.Dimensions.Select(dimension => dimension < 0 ? 1 : dimension).ToArray();
        shape[0] = rows;
        CheckFixedBatch(spec, rows);
        long elements = 0;
        int length = AddElements(ref elements, shape, maxElements, spec.ShortName);

        float[] buffer = ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
        try
        {
            TensorDataDecoder decoder = new(spec.ShortName, DatatypeNames.Fp32, buffer.AsSpan(0, length), model.Settings.Input);
            decoder.DecodeRows(instances, spec.RowSize);
            return new DecodedRequest(null, new InferenceInputs([buffer], [shape], rows), Enumerable.Range(0, model.Outputs.Count).ToArray(), false);
        }
        catch
        {
            ArrayPool<float>.Shared.Return(buffer);
            throw;
        }
    }

    private static int DecodeInput(JsonElement input, LoadedModel model, float[]?[] buffers, long[][] shapes, int maxRows, long maxElements, ref long elements)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new InferenceRequestException($"An entry of 'inputs' is {TensorDataDecoder.Describe(input.ValueKind)}; each input is an object with name, shape, datatype and data.");
        }

        string name = RequireString(input, "name", "an input");
        int index = -1;
        for (int i = 0; i < model.Inputs.Count; i++)
        {
            if (model.Inputs[i].IsNamed(name))
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new InferenceRequestException(
                $"Input '{name}' is not an input of model '{model.Name}'; its inputs are: {string.Join(", ", model.Inputs.Select(spec => spec.ShortName))}.");
        }

        if (buffers[index] is not null)
        {
            throw new InferenceRequestException($"Input '{name}' appears twice; send each input once.");
        }

        TensorSpec spec = model.Inputs[index];
        string datatype = RequireString(input, "datatype", $"input '{name}'");
        if (!DatatypeNames.Supported.Contains(datatype))
        {
            throw new InferenceRequestException(
                $"Input '{name}': datatype '{datatype}' is not supported; use one of {string.Join(", ", DatatypeNames.Supported)} (the model takes {spec.Datatype}).");
        }

        long[] shape = DecodeShape(input, name);
        CheckShape(spec, shape, name, model.Name);
        CheckRowCount((int)shape[0], maxRows, name);
        int length = AddElements(ref elements, shape, maxElements, name);

        if (!input.TryGetProperty("data", out JsonElement data))
        {
            throw new InferenceRequestException($"Input '{name}' has no 'data'; send its values as an array.");
        }

        float[] buffer = ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
        buffers[index] = buffer;
        shapes[index] = shape;

        TensorDataDecoder decoder = new(name, datatype, buffer.AsSpan(0, length), model.Settings.Input);
        decoder.DecodeTensor(data, shape);
        return index;
    }

    private static long[] DecodeShape(JsonElement input, string name)
    {
        if (!input.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException($"Input '{name}' has no 'shape' array; send the tensor's dimensions, for example [1, 4].");
        }

        long[] shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (JsonElement dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out long value) || value < 0 || value > int.MaxValue)
            {
                throw new InferenceRequestException(
                    $"Input '{name}': shape[{i}] is {dimension.GetRawText()}; dimensions are non-negative integers.");
            }

            if (value == 0 && i > 0)
            {
                throw new InferenceRequestException($"Input '{name}': shape[{i}] is 0; every dimension after the batch dimension must be at least 1.");
            }

            shape[i++] = value;
        }

        return shape;
    }

    private static void CheckShape(TensorSpec spec, long[] shape, string name, string model)
    {
        if (shape.Length != spec.Rank)
        {
            throw new InferenceRequestException(
                $"Input '{name}': shape {FormatShape(shape)} has rank {shape.Length} but model '{model}' takes rank {spec.Rank}, shape {spec.FormatShape()} (-1 is any size).");
        }

        for (int i = 1; i < shape.Length; i++)
        {
            if (spec.Dimensions[i] >= 0 && spec.Dimensions[i] != shape[i])
            {
                throw new InferenceRequestException(
                    $"Input '{name}': shape {FormatShape(shape)} has {shape[i]} at dimension {i} but model '{model}' takes {spec.Dimensions[i]} there; its shape is {spec.FormatShape()}.");
            }
        }

        CheckFixedBatch(spec, shape[0]);
    }

    private static void CheckFixedBatch(TensorSpec spec, long rows)
    {
        if (spec.Rank > 0 && spec.Dimensions[0] >= 0 && spec.Dimensions[0] != rows)
        {
            throw new InferenceRequestException(
                $"Input '{spec.ShortName}': the model's batch dimension is fixed at {spec.Dimensions[0]}, but the request has {rows} rows; send exactly {spec.Dimensions[0]}.");
        }
    }

    private static void CheckRowCount(int rows, int maxRows, string name)
    {
        if (rows == 0)
        {
            throw new InferenceRequestException($"Input '{name}' has an empty batch (0 rows); send at least one row.");
        }

        if (rows > maxRows)
        {
            throw new InferenceRequestException(
                $"Input '{name}' has {rows} rows, over the limit of {maxRows} per request (Monitor:MaxRowsPerRequest); split the request.");
        }
    }

    /// <summary>
    /// Adds the elements of one input to the request's total and returns the input's own count. Rejects the
    /// request before any buffer is allocated when the total is over the limit.
    /// </summary>
    private static int AddElements(ref long elements, long[] shape, long maxElements, string name)
    {
        // every dimension is at most int.MaxValue, so the product is checked step by step against the limit
        long count = 1;
        foreach (long dimension in shape)
        {
            if (dimension != 0 && count > (maxElements - elements) / dimension)
            {
                throw new InferenceRequestException(
                    StatusCodes.Status413PayloadTooLarge, Outcomes.BadRequest,
                    $"Input '{name}' with shape {FormatShape(shape)} takes the request over the limit of {maxElements} tensor elements (Monitor:MaxTensorElements); send fewer rows per request.");
            }

            count *= dimension;
        }

        elements += count;
        return checked((int)count);
    }

    private static int CheckRows(int previous, int rows, string name)
    {
        if (previous >= 0 && previous != rows)
        {
            throw new InferenceRequestException(
                $"Input '{name}' has {rows} rows but an earlier input has {previous}; every input needs the same first dimension.");
        }

        return rows;
    }

    private static int[] DecodeOutputs(JsonElement root, LoadedModel model)
    {
        if (!root.TryGetProperty("outputs", out JsonElement outputs))
        {
            return Enumerable.Range(0, model.Outputs.Count).ToArray();
        }

        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException($"'outputs' is {TensorDataDecoder.Describe(outputs.ValueKind)}; send an array of {{\"name\": ...}} objects or leave it out for every output.");
        }

        List<int> indexes = [];
        foreach (JsonElement output in outputs.EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object)
            {
                throw new InferenceRequestException($"An entry of 'outputs' is {TensorDataDecoder.Describe(output.ValueKind)}; each is an object with a name.");
            }

            string name = RequireString(output, "name", "an output");
            int index = -1;
            for (int i = 0; i < model.Outputs.Count; i++)
            {
                if (model.Outputs[i].IsNamed(name))
                {
                    index = i;
                }
            }

            if (index < 0)
            {
                throw new InferenceRequestException(
                    $"Output '{name}' is not an output of model '{model.Name}'; its outputs are: {string.Join(", ", model.Outputs.Select(spec => spec.ShortName))}.");
            }

            if (!indexes.Contains(index))
            {
                indexes.Add(index);
            }
        }

        if (indexes.Count == 0)
        {
            throw new InferenceRequestException("'outputs' is empty; name at least one output or leave 'outputs' out for every output.");
        }

        indexes.Sort();
        return indexes.ToArray();
    }

    private static bool DecodeClassificationFlag(JsonElement root)
    {
        if (!root.TryGetProperty("parameters", out JsonElement parameters))
        {
            return false;
        }

        if (parameters.ValueKind != JsonValueKind.Object)
        {
            throw new InferenceRequestException($"'parameters' is {TensorDataDecoder.Describe(parameters.ValueKind)}; send an object.");
        }

        if (!parameters.TryGetProperty("classification", out JsonElement flag))
        {
            return false;
        }

        return flag.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InferenceRequestException($"parameters.classification is {flag.GetRawText()}; send true or false."),
        };
    }

    private static string RequireString(JsonElement element, string property, string owner)
    {
        if (!element.TryGetProperty(property, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            throw new InferenceRequestException($"'{property}' of {owner} is missing or not a string.");
        }

        return ReadString(value, $"'{property}' of {owner}");
    }

    /// <summary>Reads a JSON string, rejecting invalid UTF-8 and escapes of a lone UTF-16 surrogate such as <c>"\ud800"</c>, which have no .NET string form.</summary>
    private static string ReadString(JsonElement value, string description)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            throw new InferenceRequestException($"{description} is not valid text: it contains invalid UTF-8 or an unpaired UTF-16 surrogate escape; send valid Unicode as UTF-8.", exception);
        }
    }

    private static void ReturnBuffers(float[]?[] buffers)
    {
        foreach (float[]? buffer in buffers)
        {
            if (buffer is not null)
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        }
    }

    internal static string FormatShape(long[] shape) =>
        "[" + string.Join(",", shape.Select(dimension => dimension.ToString(CultureInfo.InvariantCulture))) + "]";
}
