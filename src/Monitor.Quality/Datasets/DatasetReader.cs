namespace Monitor.Quality;

/// <summary>
/// Reads labelled datasets from IDX (MNIST), CSV and NumPy <c>.npy</c> files, each optionally gzip-compressed.
/// </summary>
public static class DatasetReader
{
    /// <summary>Reads a dataset file and, for IDX and NPY, its labels file.</summary>
    /// <param name="path">Features file. Gzip compression is detected from its first bytes.</param>
    /// <param name="options">Reading options, or null for the defaults.</param>
    /// <exception cref="DatasetFormatException">
    /// A file is missing, unreadable, truncated or not in the expected format. The message names the file and the problem.
    /// </exception>
    public static LabelledDataset Read(string path, DatasetReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new DatasetReadOptions();

        if (options.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Limit, "DatasetReadOptions.Limit must not be negative.");
        }

        if (!File.Exists(path))
        {
            throw new DatasetFormatException($"Dataset file '{path}' was not found.", path, null);
        }

        try
        {
            DatasetFormat format = options.Format == DatasetFormat.Auto ? DatasetFiles.DetectFormat(path) : options.Format;
            return format switch
            {
                DatasetFormat.Idx => IdxDatasetReader.Read(path, options),
                DatasetFormat.Csv => CsvDatasetReader.Read(path, options),
                DatasetFormat.Npy => NpyDatasetReader.Read(path, options),
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "Unknown dataset format."),
            };
        }
        catch (InvalidDataException exception)
        {
            // GZipStream raises InvalidDataException for corrupt compressed data.
            throw new DatasetFormatException(
                $"Dataset file '{path}' could not be decompressed: {exception.Message}", path, exception);
        }
        catch (IOException exception)
        {
            throw new DatasetFormatException($"Dataset file '{path}' could not be read: {exception.Message}", path, exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new DatasetFormatException($"Dataset file '{path}' could not be read: {exception.Message}", path, exception);
        }
    }

    internal static string NameOf(string path, DatasetReadOptions options)
    {
        return options.Name ?? Path.GetFileNameWithoutExtension(DatasetFiles.StripGzipExtension(Path.GetFileName(path)));
    }
}
