using System.Buffers.Binary;

namespace Monitor.Quality;

/// <summary>
/// Reads IDX features (the first dimension counts rows) and an optional one-dimensional IDX labels file.
/// </summary>
internal static class IdxDatasetReader
{
    // MNIST names: t10k-images.idx3-ubyte and t10k-images-idx3-ubyte, with labels in t10k-labels.idx1-ubyte.
    private static readonly (string Images, string Labels)[] LabelsFileSuffixes =
    [
        ("-images.idx3-ubyte", "-labels.idx1-ubyte"),
        ("-images-idx3-ubyte", "-labels-idx1-ubyte"),
    ];

    public static LabelledDataset Read(string path, DatasetReadOptions options)
    {
        IdxHeader header;
        float[] features;
        int rows;
        int[] rowShape;
        using (Stream stream = DatasetFiles.Open(path))
        {
            header = IdxHeader.Read(stream, path);
            rowShape = header.Dimensions.Length == 1 ? [1] : header.Dimensions[1..];
            long rowLength = ShapeLength(rowShape, path);
            rows = Math.Min(header.Dimensions[0], options.Limit ?? int.MaxValue);
            features = ReadValues(stream, header, path, rows * rowLength, header.Dimensions[0] * rowLength);
        }

        int[]? labels = null;
        string? labelsPath = options.LabelKind == DatasetLabelKind.None ? null : FindLabelsPath(path, options);
        if (labelsPath is not null)
        {
            labels = ReadLabels(labelsPath, header.Dimensions[0], rows);
        }
        else if (options.RequireLabels)
        {
            throw new DatasetFormatException(
                $"No labels file was found for '{path}': expected a file named like *-labels.idx1-ubyte[.gz] beside " +
                "*-images.idx3-ubyte[.gz]. Set DatasetReadOptions.LabelsPath.",
                path,
                null);
        }

        if (labels is not null && options.LabelKind == DatasetLabelKind.Regression)
        {
            float[] targets = Array.ConvertAll(labels, label => (float)label);
            return new LabelledDataset(DatasetReader.NameOf(path, options), rows, rowShape, features, targetValues: targets);
        }

        return new LabelledDataset(DatasetReader.NameOf(path, options), rows, rowShape, features, labels);
    }

    private static string? FindLabelsPath(string path, DatasetReadOptions options)
    {
        if (options.LabelsPath is not null)
        {
            if (!File.Exists(options.LabelsPath))
            {
                throw new DatasetFormatException($"Labels file '{options.LabelsPath}' was not found.", options.LabelsPath, null);
            }

            return options.LabelsPath;
        }

        string directory = Path.GetDirectoryName(path) ?? string.Empty;
        string fileName = Path.GetFileName(path);
        bool compressed = fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        string stem = DatasetFiles.StripGzipExtension(fileName);

        foreach ((string images, string labels) in LabelsFileSuffixes)
        {
            if (!stem.EndsWith(images, StringComparison.Ordinal))
            {
                continue;
            }

            string labelsName = stem[..^images.Length] + labels;
            string[] candidates = compressed ? [labelsName + ".gz", labelsName] : [labelsName, labelsName + ".gz"];
            foreach (string candidate in candidates)
            {
                string candidatePath = Path.Combine(directory, candidate);
                if (File.Exists(candidatePath))
                {
                    return candidatePath;
                }
            }
        }

        return null;
    }

    private static int[] ReadLabels(string labelsPath, int expectedRows, int rows)
    {
        using Stream stream = DatasetFiles.Open(labelsPath);
        IdxHeader header = IdxHeader.Read(stream, labelsPath);

        if (header.Dimensions.Length != 1 || !header.IsInteger)
        {
            throw new DatasetFormatException(
                $"'{labelsPath}' is not an IDX labels file: expected one dimension of integers, but it has " +
                $"{header.Dimensions.Length} dimensions of {header.TypeName}.",
                labelsPath,
                null);
        }

        if (header.Dimensions[0] != expectedRows)
        {
            throw new DatasetFormatException(
                $"'{labelsPath}' has {header.Dimensions[0]} labels but the features file has {expectedRows} rows; expected one label per row.",
                labelsPath,
                null);
        }

        float[] values = ReadValues(stream, header, labelsPath, rows, expectedRows);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            if (values[i] < 0)
            {
                throw new DatasetFormatException(
                    $"'{labelsPath}' has the label {values[i]} at row {i}; expected a non-negative class index.", labelsPath, null);
            }

            labels[i] = (int)values[i];
        }

        return labels;
    }

    private static long ShapeLength(int[] shape, string path)
    {
        long length = 1;
        foreach (int dimension in shape)
        {
            length *= dimension;
            if (length > Array.MaxLength)
            {
                throw new DatasetFormatException(
                    $"'{path}' declares rows of shape [{string.Join(", ", shape)}], more than {Array.MaxLength} values per row.", path, null);
            }
        }

        return length;
    }

    private static float[] ReadValues(Stream stream, IdxHeader header, string path, long count, long declaredCount) =>
        DatasetFiles.ReadElements<float>(
            stream,
            path,
            count,
            header.ElementSize,
            (source, destination) => Convert(header.TypeCode, source, destination),
            available =>
                $"'{path}' is truncated: its IDX header declares [{string.Join(", ", header.Dimensions)}] {header.TypeName} values " +
                $"({declaredCount * header.ElementSize} bytes of data) but only {available} bytes follow the {header.Length}-byte header.");

    private static void Convert(byte typeCode, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (typeCode)
        {
            case IdxHeader.UnsignedByte:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = source[i];
                }

                break;
            case IdxHeader.SignedByte:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (sbyte)source[i];
                }

                break;
            case IdxHeader.Int16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16BigEndian(source[(2 * i)..]);
                }

                break;
            case IdxHeader.Int32:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt32BigEndian(source[(4 * i)..]);
                }

                break;
            case IdxHeader.Float32:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleBigEndian(source[(4 * i)..]);
                }

                break;
            default:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(source[(8 * i)..]);
                }

                break;
        }
    }
}
