using System.Globalization;
using System.Text.Json;
using Monitor.Inference;
using Monitor.Repository;

namespace Monitor.Protocol;

/// <summary>
/// Decodes the <c>data</c> of one JSON tensor, flat or nested, into a float32 buffer, applying the
/// model's input preprocessing. Non-finite results (NaN, infinity, or numbers beyond the float32
/// range) are rejected, because a Keras model gives meaningless output for them.
/// </summary>
internal ref struct TensorDataDecoder
{
    private readonly string inputName;
    private readonly string datatype;
    private readonly Span<float> destination;
    private readonly InputPreprocessing preprocessing;
    private int count;

    public TensorDataDecoder(string inputName, string datatype, Span<float> destination, InputPreprocessing preprocessing)
    {
        this.inputName = inputName;
        this.datatype = datatype;
        this.destination = destination;
        this.preprocessing = preprocessing;
    }

    /// <summary>
    /// Decodes a tensor's data given flat (one array of every value, row-major) or nested exactly
    /// as the shape gives. Ragged nesting is rejected.
    /// </summary>
    public void DecodeTensor(JsonElement data, long[] shape)
    {
        string shapeText = InferenceRequestDecoder.FormatShape(shape);
        if (data.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException(
                $"Input '{this.inputName}': 'data' is {Describe(data.ValueKind)}; send an array of {this.datatype} values, flat or nested by the shape.");
        }

        if (data.GetArrayLength() > 0 && data[0].ValueKind == JsonValueKind.Array)
        {
            this.DecodeNested(data, shape, 0, shapeText);
        }
        else
        {
            this.DecodeScalars(data, shapeText);
        }

        if (this.count != this.destination.Length)
        {
            throw new InferenceRequestException(
                $"Input '{this.inputName}': shape {shapeText} needs {this.destination.Length} values but 'data' has {this.count}; make the shape match the data.");
        }
    }

    /// <summary>
    /// Decodes TF Serving instances: each instance is one row, nested in any layout whose element
    /// count is the row size, so that [784] and [28,28,1] both fit an input of [-1,28,28,1].
    /// </summary>
    public void DecodeRows(JsonElement instances, long rowSize)
    {
        int row = 0;
        foreach (JsonElement instance in instances.EnumerateArray())
        {
            int before = this.count;
            if (instance.ValueKind == JsonValueKind.Array)
            {
                this.DecodeAnyNesting(instance, rowSize * (row + 1));
            }
            else
            {
                this.DecodeScalar(instance, rowSize * (row + 1));
            }

            if (this.count - before != rowSize)
            {
                throw new InferenceRequestException(
                    $"Input '{this.inputName}': instance {row} has {this.count - before} values but each row needs {rowSize}; send one complete row per instance.");
            }

            row++;
        }
    }

    private void DecodeNested(JsonElement array, long[] shape, int level, string shapeText)
    {
        if (level >= shape.Length || array.GetArrayLength() != shape[level])
        {
            throw new InferenceRequestException(
                $"Input '{this.inputName}': nested 'data' does not follow shape {shapeText}: an array at depth {level} has {array.GetArrayLength()} items; nest exactly as the shape says or send the values flat.");
        }

        bool leaves = level == shape.Length - 1;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (leaves)
            {
                this.DecodeScalar(item, this.destination.Length);
            }
            else if (item.ValueKind == JsonValueKind.Array)
            {
                this.DecodeNested(item, shape, level + 1, shapeText);
            }
            else
            {
                throw new InferenceRequestException(
                    $"Input '{this.inputName}': nested 'data' does not follow shape {shapeText}: found {Describe(item.ValueKind)} at depth {level + 1} where an array belongs.");
            }
        }
    }

    private void DecodeScalars(JsonElement array, string shapeText)
    {
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (this.count >= this.destination.Length)
            {
                throw new InferenceRequestException(
                    $"Input '{this.inputName}': shape {shapeText} needs {this.destination.Length} values but 'data' has more; make the shape match the data.");
            }

            this.DecodeScalar(item, this.destination.Length);
        }
    }

    private void DecodeAnyNesting(JsonElement array, long limit)
    {
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                this.DecodeAnyNesting(item, limit);
            }
            else
            {
                this.DecodeScalar(item, limit);
            }
        }
    }

    /// <summary>Decodes one value into the next slot, refusing more than <paramref name="limit"/> values in all.</summary>
    private void DecodeScalar(JsonElement item, long limit)
    {
        if (this.count >= limit || this.count >= this.destination.Length)
        {
            throw new InferenceRequestException(
                $"Input '{this.inputName}': 'data' has more values than the shape or row size allows ({limit}); make the shape match the data.");
        }

        float value = this.ReadValue(item);
        value = (value * this.preprocessing.Scale) + this.preprocessing.Offset;
        if (!float.IsFinite(value))
        {
            throw new InferenceRequestException(
                $"Input '{this.inputName}': data[{this.count}] is {item.GetRawText()}, which is not a finite float32 value; send finite numbers within ±3.4e38.");
        }

        this.destination[this.count++] = value;
    }

    private float ReadValue(JsonElement item)
    {
        switch (this.datatype)
        {
            case DatatypeNames.Bool:
                return item.ValueKind switch
                {
                    JsonValueKind.True => 1f,
                    JsonValueKind.False => 0f,
                    _ => throw this.WrongType(item, "true or false"),
                };

            case DatatypeNames.Integer32:
                if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int int32))
                {
                    return int32;
                }

                throw this.WrongType(item, "an integer within the INT32 range");

            case DatatypeNames.Integer64:
                if (item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out long int64))
                {
                    return int64;
                }

                throw this.WrongType(item, "an integer within the INT64 range");

            default:
                if (item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out double number))
                {
                    return (float)number;
                }

                throw this.WrongType(item, "a number");
        }
    }

    private InferenceRequestException WrongType(JsonElement item, string expected)
    {
        string raw = item.GetRawText();
        if (raw.Length > 40)
        {
            raw = string.Concat(raw.AsSpan(0, 40), "...");
        }

        return new InferenceRequestException(string.Format(
            CultureInfo.InvariantCulture,
            "Input '{0}': data[{1}] is {2} ({3}); datatype {4} needs {5}.",
            this.inputName, this.count, Describe(item.ValueKind), raw, this.datatype, expected));
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}
