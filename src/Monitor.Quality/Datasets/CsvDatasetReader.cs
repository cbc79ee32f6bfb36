using System.Globalization;

namespace Monitor.Quality;

/// <summary>
/// Reads CSV datasets: one row per line, one feature per column, and one label column.
/// </summary>
/// <remarks>
/// Three layouts are recognised: no header, a header of column names, and the scikit-learn layout whose first
/// line is <c>n_rows,n_features,class names...</c> (as in <c>sklearn/datasets/data/iris.csv</c>), which gives
/// the class names and the expected row count. Empty lines are skipped.
/// </remarks>
internal static class CsvDatasetReader
{
    public static LabelledDataset Read(string path, DatasetReadOptions options)
    {
        using Stream stream = DatasetFiles.Open(path);
        using var reader = new StreamReader(stream);
        var lines = new CsvLineReader(reader, path);

        if (!lines.MoveNext())
        {
            throw new DatasetFormatException($"CSV file '{path}' is empty; expected at least one row.", path, null);
        }

        SklearnHeader? sklearn = options.HasHeader is null ? SklearnHeader.TryParse(lines.Fields) : null;
        string[]? columnNames = null;
        bool firstLineIsData = false;
        if (sklearn is null)
        {
            bool hasHeader = options.HasHeader ?? lines.Fields.Exists(field => !IsNumber(field));
            if (hasHeader)
            {
                columnNames = [.. lines.Fields];
            }
            else
            {
                firstLineIsData = true;
            }
        }

        if (!firstLineIsData && !lines.MoveNext())
        {
            throw new DatasetFormatException($"CSV file '{path}' has a header but no data rows.", path, null);
        }

        int columnCount = sklearn is not null ? sklearn.FeatureCount + 1 : columnNames?.Length ?? lines.Fields.Count;
        int? labelColumn = options.LabelKind == DatasetLabelKind.None ? null : FindLabelColumn(path, options.LabelColumn, columnNames, columnCount);
        int featureCount = labelColumn is null ? columnCount : columnCount - 1;
        if (featureCount == 0)
        {
            throw new DatasetFormatException(
                $"CSV file '{path}' has only the label column; expected at least one feature column.", path, null);
        }

        int limit = options.Limit ?? int.MaxValue;
        var features = new List<float>();
        var labelTexts = new List<string>();
        var labelLines = new List<int>();
        int rows = 0;
        bool limitReached = false;
        do
        {
            if (rows == limit)
            {
                limitReached = true;
                break;
            }

            if (lines.Fields.Count != columnCount)
            {
                throw new DatasetFormatException(
                    $"CSV file '{path}' line {lines.LineNumber} has {lines.Fields.Count} fields; expected {columnCount}.", path, null);
            }

            for (int column = 0; column < columnCount; column++)
            {
                string field = lines.Fields[column];
                if (column == labelColumn)
                {
                    labelTexts.Add(field);
                    labelLines.Add(lines.LineNumber);
                }
                else if (float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                {
                    features.Add(value);
                }
                else
                {
                    string columnName = columnNames is null ? string.Empty : $" ('{columnNames[column]}')";
                    throw new DatasetFormatException(
                        $"CSV file '{path}' line {lines.LineNumber} column {column}{columnName}: '{field}' is not a number.", path, null);
                }
            }

            rows++;
        }
        while (lines.MoveNext());

        if (sklearn is not null && !limitReached && rows != sklearn.Rows)
        {
            throw new DatasetFormatException(
                $"CSV file '{path}' has {rows} data rows but its first line declares {sklearn.Rows}.", path, null);
        }

        string name = DatasetReader.NameOf(path, options);
        if (labelColumn is null)
        {
            return new LabelledDataset(name, rows, [featureCount], [.. features]);
        }

        string labelDescription = columnNames is null ? $"column {labelColumn}" : $"column '{columnNames[labelColumn.Value]}'";
        var labels = new CsvLabels(path, labelDescription, labelTexts, labelLines);
        return labels.ToDataset(name, rows, featureCount, [.. features], options.LabelKind, sklearn?.ClassNames);
    }

    internal static bool IsNumber(string field)
    {
        return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    private static int FindLabelColumn(string path, string? labelColumn, string[]? columnNames, int columnCount)
    {
        if (labelColumn is null)
        {
            return columnCount - 1;
        }

        if (columnNames is not null)
        {
            int named = Array.IndexOf(columnNames, labelColumn);
            if (named >= 0)
            {
                return named;
            }
        }

        if (int.TryParse(labelColumn, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            if (index >= columnCount)
            {
                throw new DatasetFormatException(
                    $"Label column index {index} is out of range in '{path}'; expected 0 to {columnCount - 1}.", path, null);
            }

            return index;
        }

        if (columnNames is null)
        {
            throw new DatasetFormatException(
                $"Label column '{labelColumn}' cannot be found by name in '{path}' because the file has no header row; " +
                $"give a zero-based index from 0 to {columnCount - 1}.",
                path,
                null);
        }

        throw new DatasetFormatException(
            $"Label column '{labelColumn}' not found in '{path}'; columns are: {string.Join(", ", columnNames)}.", path, null);
    }
}
