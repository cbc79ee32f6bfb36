using System.Text.RegularExpressions;

namespace Monitor.Quality.Tests;

public sealed class PredictionIdCodecTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    private readonly ManualTimeProvider _clock = new(Start);

    private readonly byte[] _key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public void Decode_ClassificationToken_RoundTrips()
    {
        PredictionIdCodec codec = this.CreateCodec();
        PredictionId id = PredictionId.ForClass("mnist-mlp", 3, 7, 0.975f, Start);

        PredictionIdDecodeResult result = codec.Decode(codec.Encode(id));

        Assert.True(result.Success, result.Message);
        Assert.Equal(id, result.Id);
    }

    [Fact]
    public void Decode_RegressionToken_RoundTrips()
    {
        PredictionIdCodec codec = this.CreateCodec();
        PredictionId id = PredictionId.ForValue("house-prices", 12, 245000.5, Start);

        PredictionIdDecodeResult result = codec.Decode(codec.Encode(id));

        Assert.True(result.Success, result.Message);
        Assert.Equal("house-prices", result.Id.Model);
        Assert.Equal(12, result.Id.Version);
        Assert.Equal(-1, result.Id.PredictedClass);
        Assert.Equal(245000.5, result.Id.PredictedValue);
        Assert.True(float.IsNaN(result.Id.Confidence));
        Assert.Equal(Start, result.Id.Timestamp);
    }

    [Fact]
    public void Decode_UnicodeModelName_RoundTrips()
    {
        PredictionIdCodec codec = this.CreateCodec();
        PredictionId id = PredictionId.ForClass("modèle-ñ", 1, 0, 0.5f, Start);

        PredictionIdDecodeResult result = codec.Decode(codec.Encode(id));

        Assert.Equal("modèle-ñ", result.Id?.Model);
    }

    [Fact]
    public void Decode_SubMillisecondTimestamp_RoundsDown()
    {
        PredictionIdCodec codec = this.CreateCodec();
        PredictionId id = PredictionId.ForClass("m", 1, 0, 0.5f, Start.AddTicks(5));

        PredictionIdDecodeResult result = codec.Decode(codec.Encode(id));

        Assert.Equal(Start, result.Id?.Timestamp);
    }

    [Fact]
    public void Encode_Token_IsUrlSafeAndBounded()
    {
        PredictionIdCodec codec = this.CreateCodec();
        string token = codec.Encode(PredictionId.ForClass(new string('m', 255), int.MaxValue, 9, 1f, Start));

        Assert.Matches(new Regex("^v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$"), token);
        Assert.True(token.Length <= PredictionIdCodec.MaxTokenLength, $"{token.Length} > {PredictionIdCodec.MaxTokenLength}");
    }

    [Fact]
    public void Encode_SamePredictionTwice_GivesDistinctIds()
    {
        PredictionIdCodec codec = this.CreateCodec();
        PredictionId id = PredictionId.ForClass("mnist", 1, 7, 1f, Start);

        string first = codec.Encode(id);
        string second = codec.Encode(id);

        Assert.NotEqual(first, second);
        Assert.Equal(id, codec.Decode(second).Id);
    }

    [Fact]
    public void Encode_ShortModelName_IsCompact()
    {
        PredictionIdCodec codec = this.CreateCodec();

        string token = codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));

        Assert.Equal(73, token.Length);
    }

    [Fact]
    public void Encode_AllocatesOnlyTheToken()
    {
        PredictionIdCodec codec = this.CreateCodec();
        PredictionId id = PredictionId.ForClass("mnist", 1, 7, 0.99f, Start);
        codec.Encode(id);

        long before = GC.GetAllocatedBytesForCurrentThread();
        string token = codec.Encode(id);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A string costs about 22 bytes of header plus 2 bytes per character.
        Assert.True(allocated <= 32 + (2 * token.Length), $"Encode allocated {allocated} bytes for a {token.Length}-character token.");
    }

    [Fact]
    public void Encode_LongModelName_Throws()
    {
        PredictionIdCodec codec = this.CreateCodec();

        var exception = Assert.Throws<ArgumentException>(() => codec.Encode(PredictionId.ForClass(new string('m', 256), 1, 0, 0.5f, Start)));

        Assert.Contains("255", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_EmptyModelName_Throws()
    {
        PredictionIdCodec codec = this.CreateCodec();

        Assert.Throws<ArgumentException>(() => codec.Encode(PredictionId.ForClass(string.Empty, 1, 0, 0.5f, Start)));
    }

    [Fact]
    public void Constructor_ShortKey_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new PredictionIdCodec(new byte[31], _clock, MaxAge));

        Assert.Contains("at least 32 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TamperedPayload_IsInvalidSignature()
    {
        PredictionIdCodec codec = this.CreateCodec();
        string token = codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));

        // Character 10 lies inside the payload, which starts after "v1.".
        string tampered = ReplaceAt(token, 10);

        Assert.Equal(PredictionIdError.InvalidSignature, codec.Decode(tampered).Error);
    }

    [Fact]
    public void Decode_TamperedSignature_IsInvalidSignature()
    {
        PredictionIdCodec codec = this.CreateCodec();
        string token = codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));

        // The first signature character carries six signature bits; the last one also carries padding bits.
        string tampered = ReplaceAt(token, token.LastIndexOf('.') + 1);

        Assert.Equal(PredictionIdError.InvalidSignature, codec.Decode(tampered).Error);
    }

    [Fact]
    public void Decode_ForeignKey_IsInvalidSignature()
    {
        PredictionIdCodec codec = this.CreateCodec();
        var other = new PredictionIdCodec(PredictionIdKeys.Generate(), _clock, MaxAge);
        string token = other.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));

        PredictionIdDecodeResult result = codec.Decode(token);

        Assert.Equal(PredictionIdError.InvalidSignature, result.Error);
        Assert.Null(result.Id);
    }

    [Fact]
    public void Decode_OlderThanMaxAge_IsExpired()
    {
        PredictionIdCodec codec = this.CreateCodec();
        string token = codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));
        _clock.Advance(MaxAge + TimeSpan.FromMilliseconds(1));

        PredictionIdDecodeResult result = codec.Decode(token);

        Assert.Equal(PredictionIdError.Expired, result.Error);
        Assert.Equal("mnist", result.Id?.Model);
        Assert.Contains("expired", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_AtMaxAge_IsAccepted()
    {
        PredictionIdCodec codec = this.CreateCodec();
        string token = codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));
        _clock.Advance(MaxAge);

        Assert.True(codec.Decode(token).Success);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("...")]
    [InlineData("v1..")]
    [InlineData("v1.")]
    [InlineData("hello")]
    [InlineData("v2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("v1.!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!.AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.@@@@@@@@@@@@@@@@@@@@@@")]
    [InlineData("v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==.AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("v1.AAAA AAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA")]
    public void Decode_Garbage_IsMalformed(string? token)
    {
        PredictionIdCodec codec = this.CreateCodec();

        PredictionIdDecodeResult result = codec.Decode(token);

        Assert.Equal(PredictionIdError.Malformed, result.Error);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    [Fact]
    public void Decode_WellFormedUnsigned_IsInvalidSignature()
    {
        PredictionIdCodec codec = this.CreateCodec();

        PredictionIdDecodeResult result = codec.Decode("v1." + new string('A', 48) + "." + new string('A', 22));

        Assert.Equal(PredictionIdError.InvalidSignature, result.Error);
    }

    [Fact]
    public void Decode_TruncatedToken_IsMalformed()
    {
        PredictionIdCodec codec = this.CreateCodec();
        string token = codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));

        for (int length = 0; length < token.Length; length++)
        {
            PredictionIdDecodeResult result = codec.Decode(token[..length]);
            Assert.True(result.Error == PredictionIdError.Malformed, $"Prefix of {length} characters gave {result.Error}.");
        }
    }

    [Fact]
    public void Decode_ExtraSegment_IsMalformed()
    {
        PredictionIdCodec codec = this.CreateCodec();
        string token = codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));

        Assert.Equal(PredictionIdError.Malformed, codec.Decode(token + ".AAAA").Error);
    }

    [Fact]
    public void Decode_NonCanonicalSignature_IsRejected()
    {
        PredictionIdCodec codec = this.CreateCodec();
        string token = codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        foreach (char replacement in Alphabet.Where(character => character != token[^1]))
        {
            string changed = token[..^1] + replacement;
            Assert.False(codec.Decode(changed).Success, $"Last character '{replacement}' was accepted.");
        }
    }

    [Fact]
    public void Decode_RandomMutations_DoNotThrow()
    {
        PredictionIdCodec codec = this.CreateCodec();
        string token = codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.99f, Start));
        var random = new Random(20260301);

        for (int i = 0; i < 20_000; i++)
        {
            char[] characters = token[..random.Next(token.Length + 1)].ToCharArray();
            for (int edit = 0; edit < 3 && characters.Length > 0; edit++)
            {
                characters[random.Next(characters.Length)] = (char)random.Next(0, 256);
            }

            string mutated = new(characters);
            PredictionIdDecodeResult result = codec.Decode(mutated);
            Assert.True(!result.Success || mutated == token, $"Mutated token '{mutated}' was accepted.");
        }
    }

    [Fact]
    public void Decode_TooLong_IsMalformed()
    {
        PredictionIdCodec codec = this.CreateCodec();

        Assert.Equal(PredictionIdError.Malformed, codec.Decode("v1." + new string('A', 10_000)).Error);
    }

    private static string ReplaceAt(string token, int index)
    {
        char replacement = token[index] == 'A' ? 'B' : 'A';
        return string.Concat(token.AsSpan(0, index), [replacement], token.AsSpan(index + 1));
    }

    private PredictionIdCodec CreateCodec()
    {
        return new PredictionIdCodec(_key, _clock, MaxAge);
    }
}
