using System.Buffers.Binary;
using System.Numerics;

namespace Monitor.Quality;

/// <summary>
/// Reads a C-order NPY features array (the first dimension counts rows) and an optional NPY labels array.
/// </summary>
/// <remarks>
/// Labels may have shape (n), (n, 1), or (n, k) with k above 1. Rows of an (n, k) array are read as one-hot or
/// probability rows, and each gives the index of its largest value.
/// </remarks>
internal static class NpyDatasetReader
{
    public static LabelledDataset Read(string path, DatasetReadOptions options)
    {
        NpyHeader header;
        float[] features;
        int[] rowShape;
        int rows;
        using (Stream stream = DatasetFiles.Open(path))
        {
            header = ReadCheckedHeader(stream, path);
            if (header.Shape.Length == 0)
            {
                throw new DatasetFormatException(
                    $"'{path}' holds a scalar; expected an array whose first dimension counts rows.", path, null);
            }

            rowShape = header.Shape.Length == 1 ? [1] : ToRowShape(header, path);
            long rowLength = 1;
            foreach (int dimension in rowShape)
            {
                rowLength *= dimension;
            }

            rows = (int)Math.Min(Math.Min(header.Shape[0], int.MaxValue), options.Limit ?? int.MaxValue);
            features = ReadValues<float>(stream, header, path, rows * rowLength);
        }

        string name = DatasetReader.NameOf(path, options);
        if (options.LabelKind == DatasetLabelKind.None || options.LabelsPath is null)
        {
            if (options.RequireLabels)
            {
                throw new DatasetFormatException(
                    $"No labels file was given for '{path}'; set DatasetReadOptions.LabelsPath to an NPY file with one label per row.",
                    path,
                    null);
            }

            return new LabelledDataset(name, rows, rowShape, features);
        }

        if (!File.Exists(options.LabelsPath))
        {
            throw new DatasetFormatException($"Labels file '{options.LabelsPath}' was not found.", options.LabelsPath, null);
        }

        return ReadLabels(options.LabelsPath, header.Shape[0], rows, options.LabelKind, name, rowShape, features);
    }

    private static LabelledDataset ReadLabels(
        string labelsPath, long expectedRows, int rows, DatasetLabelKind kind, string name, int[] rowShape, float[] features)
    {
        using Stream stream = DatasetFiles.Open(labelsPath);
        NpyHeader header = ReadCheckedHeader(stream, labelsPath);

        bool validShape = header.Shape.Length == 1 || (header.Shape.Length == 2 && header.Shape[1] >= 1);
        if (!validShape || header.Shape[0] != expectedRows)
        {
            throw new DatasetFormatException(
                $"Labels file '{labelsPath}' has shape {header.ShapeText}; expected ({expectedRows},), ({expectedRows}, 1) " +
                $"or ({expectedRows}, classes) to match the {expectedRows} feature rows.",
                labelsPath,
                null);
        }

        long width = header.Shape.Length == 2 ? header.Shape[1] : 1;
        double[] values = ReadValues<double>(stream, header, labelsPath, rows * width);

        if (width > 1)
        {
            if (kind == DatasetLabelKind.Regression)
            {
                throw new DatasetFormatException(
                    $"Labels file '{labelsPath}' has shape {header.ShapeText}; regression targets need one value per row.", labelsPath, null);
            }

            return new LabelledDataset(name, rows, rowShape, features, ArgMaxRows(values, (int)width));
        }

        bool allClassIndices = Array.TrueForAll(values, value => value >= 0 && value <= int.MaxValue && value == Math.Floor(value));
        bool asClasses = kind switch
        {
            DatasetLabelKind.Regression => false,
            DatasetLabelKind.Classification => true,
            _ => header.IsInteger || allClassIndices,
        };

        if (!asClasses)
        {
            return new LabelledDataset(name, rows, rowShape, features, targetValues: Array.ConvertAll(values, value => (float)value));
        }

        if (!allClassIndices)
        {
            int row = Array.FindIndex(values, value => !(value >= 0 && value <= int.MaxValue && value == Math.Floor(value)));
            throw new DatasetFormatException(
                $"Labels file '{labelsPath}' has the label {values[row]} at row {row}; expected a non-negative whole class index.",
                labelsPath,
                null);
        }

        return new LabelledDataset(name, rows, rowShape, features, Array.ConvertAll(values, value => (int)value));
    }

    private static NpyHeader ReadCheckedHeader(Stream stream, string path)
    {
        NpyHeader header = NpyHeader.Read(stream, path);
        if (Array.IndexOf(NpyHeader.SupportedDescrs, header.Descr) < 0)
        {
            throw new DatasetFormatException(
                $"'{path}' has the NPY element type '{header.Descr}'; expected one of {string.Join(", ", NpyHeader.SupportedDescrs)}.",
                path,
                null);
        }

        // Arrays of at most one dimension above 1 have the same layout in C and Fortran order.
        if (header.FortranOrder && header.Shape.Count(dimension => dimension > 1) > 1)
        {
            throw new DatasetFormatException(
                $"'{path}' stores its {header.ShapeText} array in Fortran order; only C order is supported. " +
                "Save it with numpy.save(path, numpy.ascontiguousarray(array)).",
                path,
                null);
        }

        return header;
    }

    private static int[] ToRowShape(NpyHeader header, string path)
    {
        int[] shape = new int[header.Shape.Length - 1];
        long length = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long dimension = header.Shape[i + 1];
            length *= Math.Max(dimension, 1);
            if (dimension == 0 || length > Array.MaxLength)
            {
                throw new DatasetFormatException(
                    $"'{path}' has the shape {header.ShapeText}; expected rows of 1 to {Array.MaxLength} values.", path, null);
            }

            shape[i] = (int)dimension;
        }

        return shape;
    }

    private static int[] ArgMaxRows(double[] values, int width)
    {
        int[] indices = new int[values.Length / width];
        for (int row = 0; row < indices.Length; row++)
        {
            ReadOnlySpan<double> span = values.AsSpan(row * width, width);
            int best = 0;
            for (int i = 1; i < span.Length; i++)
            {
                if (span[i] > span[best])
                {
                    best = i;
                }
            }

            indices[row] = best;
        }

        return indices;
    }

    private static T[] ReadValues<T>(Stream stream, NpyHeader header, string path, long count)
        where T : INumberBase<T> =>
        DatasetFiles.ReadElements<T>(
            stream,
            path,
            count,
            header.ElementSize,
            (source, destination) => Convert(header.Descr, source, destination),
            available =>
                $"'{path}' is truncated: its NPY header declares shape {header.ShapeText} of '{header.Descr}' " +
                $"but the data ends after {available} of the {count * header.ElementSize} bytes needed.");

    private static void Convert<T>(string descr, ReadOnlySpan<byte> source, Span<T> destination)
        where T : INumberBase<T>
    {
        switch (descr)
        {
            case "|u1":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(source[i]);
                }

                break;
            case "<f4":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]));
                }

                break;
            case "<i4":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]));
                }

                break;
            case "<i8":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]));
                }

                break;
            default:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]));
                }

                break;
        }
    }
}
