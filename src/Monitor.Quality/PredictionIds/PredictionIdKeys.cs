using System.Security.Cryptography;

namespace Monitor.Quality;

/// <summary>
/// Creates and loads the HMAC keys that sign prediction ids.
/// </summary>
public static class PredictionIdKeys
{
    /// <summary>Length in bytes of keys made by <see cref="Generate"/>.</summary>
    public const int GeneratedKeyLength = 32;

    /// <summary>Largest key file that <see cref="LoadFromFile"/> reads, in bytes.</summary>
    public const int MaxFileLength = 4096;

    /// <summary>Creates a random key from the operating system's cryptographic random number generator.</summary>
    public static byte[] Generate()
    {
        return RandomNumberGenerator.GetBytes(GeneratedKeyLength);
    }

    /// <summary>
    /// Reads a key file. A file of printable ASCII and whitespace is decoded as base64 or base64url text,
    /// with whitespace ignored. Any other file is used as raw key bytes.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is empty, larger than <see cref="MaxFileLength"/> bytes, text that is not valid base64,
    /// or a key shorter than <see cref="PredictionIdCodec.MinimumKeyLength"/> bytes.
    /// </exception>
    public static byte[] LoadFromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The prediction id key file '{path}' was not found.", path);
        }

        if (file.Length == 0 || file.Length > MaxFileLength)
        {
            throw new InvalidDataException(
                $"The prediction id key file '{path}' is {file.Length} bytes long; expected 1 to {MaxFileLength} bytes.");
        }

        byte[] content = File.ReadAllBytes(path);
        byte[] key = IsText(content) ? DecodeBase64(content, path) : content;

        if (key.Length < PredictionIdCodec.MinimumKeyLength)
        {
            throw new InvalidDataException(
                $"The prediction id key in '{path}' is {key.Length} bytes long but must be at least " +
                $"{PredictionIdCodec.MinimumKeyLength} bytes. Create one with 'head -c 32 /dev/urandom | base64'.");
        }

        return key;
    }

    private static bool IsText(ReadOnlySpan<byte> content)
    {
        foreach (byte value in content)
        {
            bool printable = value is >= 0x20 and <= 0x7E;
            bool whitespace = value is (byte)'\t' or (byte)'\n' or (byte)'\r';
            if (!printable && !whitespace)
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] DecodeBase64(byte[] content, string path)
    {
        // Accept base64url by mapping its two letters to the standard alphabet and restoring the padding.
        string text = new string(System.Text.Encoding.ASCII.GetString(content).Where(c => !char.IsWhiteSpace(c)).ToArray())
            .Replace('-', '+')
            .Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');

        byte[] key = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, key, out int length))
        {
            throw new InvalidDataException(
                $"The prediction id key file '{path}' contains text that is not valid base64. " +
                "Write the key as base64 text or as raw bytes.");
        }

        return key[..length];
    }
}
