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

    /// <summary>Decodes every value and checks that the data has exactly as many values as the shape.</summary>
    public void Decode(JsonElement data, string shapeText)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceRequestException(
                $"Input '{this.inputName}': 'data' is {Describe(data.ValueKind)}; send an array of {this.datatype} values, flat or nested by the shape.");
        }

        this.DecodeArray(data, shapeText);
        if (this.count != this.destination.Length)
        {
            throw new InferenceRequestException(
                $"Input '{this.inputName}': shape {shapeText} needs {this.destination.Length} values but 'data' has {this.count}; make the shape match the data.");
        }
    }

    private void DecodeArray(JsonElement array, string shapeText)
    {
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                this.DecodeArray(item, shapeText);
                continue;
            }

            if (this.count >= this.destination.Length)
            {
                throw new InferenceRequestException(
                    $"Input '{this.inputName}': shape {shapeText} needs {this.destination.Length} values but 'data' has more; make the shape match the data.");
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
