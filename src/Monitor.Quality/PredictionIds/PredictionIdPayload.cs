using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Monitor.Quality;

/// <summary>
/// Binary layout of a version 1 prediction id payload. All numbers are little-endian.
/// <list type="bullet">
/// <item>byte 0: kind, 0 for classification and 1 for regression</item>
/// <item>bytes 1-8: Unix time in milliseconds, int64</item>
/// <item>bytes 9-12: model version, int32</item>
/// <item>bytes 13-20: class (int32) and confidence (float32), or the regression value (float64)</item>
/// <item>byte 21: length of the model name, then the name in UTF-8</item>
/// </list>
/// </summary>
internal static class PredictionIdPayload
{
    /// <summary>Length of the fields before the model name.</summary>
    public const int HeaderLength = 30;

    private const byte ClassificationKind = 0;

    private const byte RegressionKind = 1;

    // 8 random bytes make every id unique, so that two rows with the same prediction in the
    // same millisecond still get feedback scored once each
    private const int NonceOffset = 21;

    private const int NameLengthOffset = 29;

    private const int NameOffset = HeaderLength;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static int Write(PredictionId id, Span<byte> destination)
    {
        if (string.IsNullOrEmpty(id.Model))
        {
            throw new ArgumentException("The model name of a prediction id must not be empty.", nameof(id));
        }

        if (id.PredictedClass < PredictionId.RegressionClass)
        {
            throw new ArgumentOutOfRangeException(
                nameof(id), id.PredictedClass, "The predicted class must be a class index, or -1 for a regression output.");
        }

        Span<byte> nameDestination = destination.Slice(NameOffset, PredictionIdCodec.MaxModelNameBytes);
        if (!Encoding.UTF8.TryGetBytes(id.Model, nameDestination, out int nameLength))
        {
            throw new ArgumentException(
                $"The model name '{id.Model}' is longer than {PredictionIdCodec.MaxModelNameBytes} UTF-8 bytes.", nameof(id));
        }

        destination[0] = id.IsRegression ? RegressionKind : ClassificationKind;
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], id.Timestamp.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt32LittleEndian(destination[9..], id.Version);

        if (id.IsRegression)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(destination[13..], id.PredictedValue);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[13..], id.PredictedClass);
            BinaryPrimitives.WriteSingleLittleEndian(destination[17..], id.Confidence);
        }

        BinaryPrimitives.WriteInt64LittleEndian(destination[NonceOffset..], Random.Shared.NextInt64());
        destination[NameLengthOffset] = (byte)nameLength;
        return NameOffset + nameLength;
    }

    public static bool TryRead(
        ReadOnlySpan<byte> payload,
        [NotNullWhen(true)] out PredictionId? id,
        [NotNullWhen(false)] out string? problem)
    {
        id = null;
        if (payload.Length < NameOffset)
        {
            problem = $"it is {payload.Length} bytes long, shorter than the {NameOffset}-byte header";
            return false;
        }

        byte kind = payload[0];
        if (kind is not (ClassificationKind or RegressionKind))
        {
            problem = $"the kind byte is {kind}, expected 0 or 1";
            return false;
        }

        int nameLength = payload[NameLengthOffset];
        if (nameLength == 0 || payload.Length != NameOffset + nameLength)
        {
            problem = $"the model name length {nameLength} does not match the payload length {payload.Length}";
            return false;
        }

        long unixMilliseconds = BinaryPrimitives.ReadInt64LittleEndian(payload[1..]);
        if (unixMilliseconds < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() ||
            unixMilliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            problem = $"the timestamp {unixMilliseconds} ms is out of range";
            return false;
        }

        string model;
        try
        {
            model = StrictUtf8.GetString(payload.Slice(NameOffset, nameLength));
        }
        catch (DecoderFallbackException)
        {
            problem = "the model name is not valid UTF-8";
            return false;
        }

        DateTimeOffset timestamp = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
        int version = BinaryPrimitives.ReadInt32LittleEndian(payload[9..]);

        if (kind == RegressionKind)
        {
            double value = BinaryPrimitives.ReadDoubleLittleEndian(payload[13..]);
            id = PredictionId.ForValue(model, version, value, timestamp);
        }
        else
        {
            int predictedClass = BinaryPrimitives.ReadInt32LittleEndian(payload[13..]);
            if (predictedClass < 0)
            {
                problem = $"the predicted class {predictedClass} is negative";
                return false;
            }

            float confidence = BinaryPrimitives.ReadSingleLittleEndian(payload[17..]);
            id = PredictionId.ForClass(model, version, predictedClass, confidence, timestamp);
        }

        problem = null;
        return true;
    }
}
