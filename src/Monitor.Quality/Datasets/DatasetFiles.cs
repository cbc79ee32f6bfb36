using System.IO.Compression;

namespace Monitor.Quality;

/// <summary>
/// Opening of dataset files: gzip detection, format detection and exact reads with clear errors.
/// </summary>
internal static class DatasetFiles
{
    private const int BufferSize = 1 << 16;

    public static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        try
        {
            if (IsGzip(file))
            {
                return new BufferedStream(new GZipStream(file, CompressionMode.Decompress), BufferSize);
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public static string StripGzipExtension(string fileName)
    {
        return fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? fileName[..^3] : fileName;
    }

    public static DatasetFormat DetectFormat(string path)
    {
        string name = StripGzipExtension(Path.GetFileName(path));
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return DatasetFormat.Csv;
        }

        if (name.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            return DatasetFormat.Npy;
        }

        if (name.EndsWith("-ubyte", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".idx", StringComparison.OrdinalIgnoreCase))
        {
            return DatasetFormat.Idx;
        }

        Span<byte> head = stackalloc byte[6];
        int length;
        using (Stream stream = Open(path))
        {
            length = ReadAtMost(stream, head);
        }

        if (NpyHeader.HasMagic(head[..length]))
        {
            return DatasetFormat.Npy;
        }

        if (IdxHeader.HasMagic(head[..length]))
        {
            return DatasetFormat.Idx;
        }

        throw new DatasetFormatException(
            $"The format of dataset file '{path}' is unknown: expected a name ending in .csv, .npy or -ubyte " +
            "(optionally .gz), or NPY or IDX content. Set DatasetReadOptions.Format.",
            path,
            null);
    }

    /// <summary>
    /// Reads <paramref name="count"/> values of <paramref name="elementSize"/> bytes each in chunks of
    /// at most 1 MiB, converting every chunk with <paramref name="convert"/>.
    /// </summary>
    /// <param name="describeTruncation">Returns the message for a stream that ends early, given the data bytes it had.</param>
    /// <exception cref="DatasetFormatException">The values do not fit in an array, or the stream ends early.</exception>
    public static T[] ReadElements<T>(
        Stream stream, string path, long count, int elementSize, ElementConverter<T> convert, Func<long, string> describeTruncation)
    {
        if (count > Array.MaxLength)
        {
            throw new DatasetFormatException(
                $"'{path}' would need {count} values in memory, more than the {Array.MaxLength} an array can hold. " +
                "Set DatasetReadOptions.Limit.",
                path,
                null);
        }

        T[] values = new T[count];
        byte[] buffer = new byte[Math.Min(count * elementSize, 1 << 20)];
        long done = 0;
        while (done < count)
        {
            int chunkLength = (int)Math.Min(buffer.Length, (count - done) * elementSize);
            int read = ReadAtMost(stream, buffer.AsSpan(0, chunkLength));
            if (read < chunkLength)
            {
                throw new DatasetFormatException(describeTruncation((done * elementSize) + read), path, null);
            }

            convert(buffer.AsSpan(0, read), values.AsSpan((int)done, read / elementSize));
            done += read / elementSize;
        }

        return values;
    }

    /// <summary>Reads until the buffer is full or the stream ends, and returns the number of bytes read.</summary>
    public static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int length = ReadAtMost(file, magic);
        file.Position = 0;
        return length == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }
}

/// <summary>Converts the raw bytes of whole elements into values.</summary>
internal delegate void ElementConverter<T>(ReadOnlySpan<byte> source, Span<T> destination);
