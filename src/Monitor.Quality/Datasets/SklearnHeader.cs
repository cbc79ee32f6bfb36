using System.Globalization;

namespace Monitor.Quality;

/// <summary>
/// First line of a scikit-learn bundled CSV dataset: row count, feature count, then class names.
/// </summary>
internal sealed record SklearnHeader(int Rows, int FeatureCount, string[] ClassNames)
{
    /// <summary>
    /// Recognises the layout: at least three fields, the first two non-negative integers and the rest names
    /// that are not numbers. A plain numeric row therefore never matches.
    /// </summary>
    public static SklearnHeader? TryParse(List<string> fields)
    {
        if (fields.Count < 3 ||
            !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int rows) ||
            !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int featureCount) ||
            featureCount == 0)
        {
            return null;
        }

        string[] classNames = [.. fields.Skip(2)];
        if (Array.Exists(classNames, name => name.Length == 0 || CsvDatasetReader.IsNumber(name)))
        {
            return null;
        }

        return new SklearnHeader(rows, featureCount, classNames);
    }
}
