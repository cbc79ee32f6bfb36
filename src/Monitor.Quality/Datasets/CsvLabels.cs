using System.Globalization;

namespace Monitor.Quality;

/// <summary>
/// Label column of a CSV file as text, converted to class indices or regression targets.
/// </summary>
internal sealed class CsvLabels(string path, string columnDescription, List<string> texts, List<int> lineNumbers)
{
    public LabelledDataset ToDataset(
        string name, int rows, int featureCount, float[] features, DatasetLabelKind kind, string[]? sklearnClassNames)
    {
        if (kind == DatasetLabelKind.Regression)
        {
            return new LabelledDataset(name, rows, [featureCount], features, targetValues: this.ParseTargets());
        }

        if (sklearnClassNames is not null)
        {
            if (!this.TryParseClassIndices(sklearnClassNames.Length, out int[] indices, out int invalidRow))
            {
                throw this.Error(invalidRow, $"expected a class index from 0 to {sklearnClassNames.Length - 1}");
            }

            return new LabelledDataset(name, rows, [featureCount], features, indices, classNames: sklearnClassNames);
        }

        if (this.TryParseClassIndices(int.MaxValue, out int[] classes, out _))
        {
            return new LabelledDataset(name, rows, [featureCount], features, classes);
        }

        bool allNumbers = texts.TrueForAll(CsvDatasetReader.IsNumber);
        if (kind == DatasetLabelKind.Auto && allNumbers)
        {
            return new LabelledDataset(name, rows, [featureCount], features, targetValues: this.ParseTargets());
        }

        (int[] named, string[] classNames) = this.MapClassNames();
        return new LabelledDataset(name, rows, [featureCount], features, named, classNames: classNames);
    }

    private static bool IsClassIndex(string text, out int index)
    {
        index = 0;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ||
            value < 0 || value > int.MaxValue || value != Math.Floor(value))
        {
            return false;
        }

        index = (int)value;
        return true;
    }

    private bool TryParseClassIndices(int classCount, out int[] indices, out int invalidRow)
    {
        indices = new int[texts.Count];
        for (int i = 0; i < indices.Length; i++)
        {
            if (!IsClassIndex(texts[i], out indices[i]) || indices[i] >= classCount)
            {
                invalidRow = i;
                return false;
            }
        }

        invalidRow = -1;
        return true;
    }

    private float[] ParseTargets()
    {
        float[] targets = new float[texts.Count];
        for (int i = 0; i < targets.Length; i++)
        {
            if (!float.TryParse(texts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out targets[i]) || !float.IsFinite(targets[i]))
            {
                throw this.Error(i, "expected a finite number as regression target");
            }
        }

        return targets;
    }

    // Names get indices in ordinal sort order, as scikit-learn's LabelEncoder assigns them, so the mapping
    // does not depend on row order. With DatasetReadOptions.Limit, only names in the rows read are counted.
    private (int[] Indices, string[] ClassNames) MapClassNames()
    {
        string[] classNames = [.. texts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classNames.Length; i++)
        {
            indexOf[classNames[i]] = i;
        }

        int[] indices = new int[texts.Count];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = indexOf[texts[i]];
        }

        return (indices, classNames);
    }

    private DatasetFormatException Error(int row, string expected)
    {
        return new DatasetFormatException(
            $"CSV file '{path}' line {lineNumbers[row]} {columnDescription}: the label '{texts[row]}' is invalid; {expected}.", path, null);
    }
}
