using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Monitor.Quality;

/// <summary>
/// Encodes prediction ids as signed, URL-safe tokens and decodes them back, so that feedback can be
/// matched to its prediction without the server storing anything per prediction.
/// </summary>
/// <remarks>
/// <para>
/// A token is <c>v1.</c>, the base64url payload, a dot and the base64url signature. The signature is
/// HMAC-SHA256 over the ASCII text before the second dot, truncated to its first 16 bytes, which meets the
/// RFC 2104 section 5 advice of at least half the hash length and at least 80 bits. The payload is not
/// encrypted, so a client can read the model name, class, confidence and time, but cannot change them.
/// </para>
/// <para>
/// The payload stores the timestamp in whole Unix milliseconds (decoded in UTC), the class and
/// confidence of a classification, or the value of a regression. Decoding sets
/// <see cref="PredictionId.PredictedValue"/> of a classification to its class index and
/// <see cref="PredictionId.Confidence"/> of a regression to NaN. Instances are thread-safe.
/// </para>
/// </remarks>
public sealed class PredictionIdCodec
{
    /// <summary>Minimum key length in bytes, the output size of SHA-256.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>Maximum length of a model name in UTF-8 bytes.</summary>
    public const int MaxModelNameBytes = 255;

    private const string Prefix = "v1.";

    private const int SignatureLength = 16;

    private const int MaxPayloadLength = PredictionIdPayload.HeaderLength + MaxModelNameBytes;

    private static readonly int SignatureTextLength = Base64Url.GetEncodedLength(SignatureLength);

    private static readonly int MaxSignedLength = Prefix.Length + Base64Url.GetEncodedLength(MaxPayloadLength);

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    // HMACSHA256.HashData creates a native HMAC context on every call. Each thread keeps one context for
    // the codec it last served instead, which avoids that cost on the hot path.
    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    [ThreadStatic]
    private static PredictionIdCodec? t_hmacOwner;

    private readonly byte[] _key;

    private readonly TimeProvider _timeProvider;

    private readonly TimeSpan _maxAge;

    /// <summary>Initializes a new instance of the <see cref="PredictionIdCodec"/> class.</summary>
    /// <param name="key">HMAC key of at least <see cref="MinimumKeyLength"/> bytes, which the codec copies.</param>
    /// <param name="timeProvider">Clock used to check the age of decoded ids.</param>
    /// <param name="maxAge">Age after which <see cref="Decode"/> rejects an id as <see cref="PredictionIdError.Expired"/>.</param>
    public PredictionIdCodec(byte[] key, TimeProvider timeProvider, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(timeProvider);

        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException(
                $"The prediction id key is {key.Length} bytes long but must be at least {MinimumKeyLength} bytes. " +
                "Use PredictionIdKeys.Generate() or 32 random bytes from a secure source.",
                nameof(key));
        }

        if (maxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAge), maxAge, "The maximum age of prediction ids must be positive.");
        }

        _key = (byte[])key.Clone();
        _timeProvider = timeProvider;
        _maxAge = maxAge;
    }

    /// <summary>Gets the maximum length of a token that <see cref="Encode"/> produces.</summary>
    public static int MaxTokenLength { get; } = MaxSignedLength + 1 + SignatureTextLength;

    /// <summary>Gets the age after which ids are rejected as expired.</summary>
    public TimeSpan MaxAge => _maxAge;

    /// <summary>Encodes and signs a prediction id.</summary>
    /// <exception cref="ArgumentException">The model name is empty or longer than <see cref="MaxModelNameBytes"/> UTF-8 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The predicted class is below -1.</exception>
    public string Encode(PredictionId id)
    {
        ArgumentNullException.ThrowIfNull(id);

        Span<byte> payload = stackalloc byte[MaxPayloadLength];
        int payloadLength = PredictionIdPayload.Write(id, payload);

        Span<char> token = stackalloc char[MaxTokenLength];
        Prefix.CopyTo(token);
        int signedLength = Prefix.Length + Base64Url.EncodeToChars(payload[..payloadLength], token[Prefix.Length..]);

        Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        this.Sign(token[..signedLength], signature);

        token[signedLength] = '.';
        int signatureTextLength = Base64Url.EncodeToChars(signature[..SignatureLength], token[(signedLength + 1)..]);

        return new string(token[..(signedLength + 1 + signatureTextLength)]);
    }

    /// <summary>Checks the signature and age of a token and decodes the prediction id it carries.</summary>
    /// <returns>The prediction id, or the reason the token was rejected. No input string makes it throw.</returns>
    public PredictionIdDecodeResult Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Malformed("The prediction id is empty.");
        }

        if (token.Length > MaxTokenLength)
        {
            return Malformed($"The prediction id is {token.Length} characters long; the maximum is {MaxTokenLength}.");
        }

        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Malformed($"The prediction id does not start with '{Prefix}'; expected 'v1.<payload>.<signature>'.");
        }

        ReadOnlySpan<char> body = token.AsSpan(Prefix.Length);
        int dot = body.IndexOf('.');
        if (dot < 0)
        {
            return Malformed("The prediction id has no signature part; expected 'v1.<payload>.<signature>'.");
        }

        ReadOnlySpan<char> payloadText = body[..dot];
        ReadOnlySpan<char> signatureText = body[(dot + 1)..];
        if (payloadText.Length < Base64Url.GetEncodedLength(PredictionIdPayload.HeaderLength + 1) ||
            payloadText.ContainsAnyExcept(Base64UrlAlphabet) ||
            payloadText.Length % 4 == 1)
        {
            return Malformed("The payload of the prediction id is not valid unpadded base64url of the expected length.");
        }

        if (signatureText.Length != SignatureTextLength || signatureText.ContainsAnyExcept(Base64UrlAlphabet))
        {
            return Malformed(
                $"The signature of the prediction id must be {SignatureTextLength} base64url characters.");
        }

        // The signature is checked before the payload is decoded, so any change to the payload text
        // is reported as an invalid signature rather than as a parse error.
        Span<byte> givenSignature = stackalloc byte[SignatureLength + 2];
        if (!TryDecodeBase64Url(signatureText, givenSignature, out int givenLength) || givenLength != SignatureLength)
        {
            return Malformed("The signature of the prediction id is not valid base64url.");
        }

        Span<byte> expectedSignature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        this.Sign(token.AsSpan(0, Prefix.Length + dot), expectedSignature);
        if (!CryptographicOperations.FixedTimeEquals(expectedSignature[..SignatureLength], givenSignature[..SignatureLength]))
        {
            return PredictionIdDecodeResult.Rejected(
                PredictionIdError.InvalidSignature,
                "The signature of the prediction id does not match its payload; the id was altered or signed with another key.");
        }

        Span<byte> payload = stackalloc byte[MaxPayloadLength];
        if (!TryDecodeBase64Url(payloadText, payload, out int payloadLength))
        {
            return Malformed("The payload of the prediction id is not valid base64url.");
        }

        if (!PredictionIdPayload.TryRead(payload[..payloadLength], out PredictionId? id, out string? problem))
        {
            return Malformed($"The payload of the prediction id is invalid: {problem}.");
        }

        TimeSpan age = _timeProvider.GetUtcNow() - id.Timestamp;
        if (age > _maxAge)
        {
            return PredictionIdDecodeResult.Rejected(
                PredictionIdError.Expired,
                $"The prediction id expired: it was issued at {id.Timestamp:O}, {age} ago, and ids are accepted for {_maxAge}.",
                id);
        }

        return PredictionIdDecodeResult.Accepted(id);
    }

    // Base64Url.TryDecodeFromChars returns false only when the destination is too small. It throws
    // FormatException for invalid input, including non-zero unused bits in the last character, which makes
    // each prediction's token unique, so callers can deduplicate feedback by token text.
    private static bool TryDecodeBase64Url(ReadOnlySpan<char> text, Span<byte> destination, out int length)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(text, destination, out length);
        }
        catch (FormatException)
        {
            length = 0;
            return false;
        }
    }

    private static PredictionIdDecodeResult Malformed(string message)
    {
        return PredictionIdDecodeResult.Rejected(PredictionIdError.Malformed, message);
    }

    private void Sign(ReadOnlySpan<char> signedText, Span<byte> signature)
    {
        // Callers pass only prefix and base64url characters, which are ASCII, one byte each.
        Span<byte> signedBytes = stackalloc byte[MaxSignedLength];
        int length = Encoding.ASCII.GetBytes(signedText, signedBytes);

        IncrementalHash hmac = this.GetThreadHmac();
        hmac.AppendData(signedBytes[..length]);
        hmac.GetHashAndReset(signature);
    }

    private IncrementalHash GetThreadHmac()
    {
        if (t_hmac is null || !ReferenceEquals(t_hmacOwner, this))
        {
            t_hmac?.Dispose();
            t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
            t_hmacOwner = this;
        }

        return t_hmac;
    }
}
