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
