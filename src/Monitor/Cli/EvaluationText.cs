using System.Globalization;
using System.Text;
using Monitor.Quality;
using Monitor.Repository;

namespace Monitor.Cli;

/// <summary>Turns an evaluation run into its result record and formats that for people.</summary>
internal static class EvaluationText
{
    public static EvaluationResult ToResult(ModelLocation location, string datasetPath, int rows, EvaluationRun run, IReadOnlyList<string> classNames, string? profilePath)
    {
        double rowsPerSecond = rows / Math.Max(run.Seconds, 1e-9);
        if (run.Classification is { } classification)
        {
            long[,] confusion = classification.GetConfusionMatrix();
            List<ClassMetrics> classes = [];
            List<long[]> matrix = [];
            for (int actual = 0; actual < classification.ClassCount; actual++)
            {
                long[] predictedCounts = new long[classification.ClassCount];
                for (int predicted = 0; predicted < classification.ClassCount; predicted++)
                {
                    predictedCounts[predicted] = confusion[actual, predicted];
                }

                matrix.Add(predictedCounts);
                classes.Add(new ClassMetrics(
                    classNames[actual],
                    NullIfNaN(classification.Precision(actual)),
                    NullIfNaN(classification.Recall(actual)),
                    predictedCounts.Sum()));
            }

            return new EvaluationResult(
                location.Name, location.ModelPath, datasetPath, "classification", rows, run.Seconds, rowsPerSecond,
                classification.Accuracy, classification.Correct, classification.CrossEntropy, "categorical_crossentropy",
                null, classNames, classes, matrix, profilePath);
        }

        RegressionEvaluator regression = run.Regression!;
        return new EvaluationResult(
            location.Name, location.ModelPath, datasetPath, "regression", rows, run.Seconds, rowsPerSecond,
            null, 0, regression.MeanSquaredError, "mean_squared_error", regression.MeanAbsoluteError,
            [], [], [], profilePath);
    }

    public static string Format(EvaluationResult result)
    {
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"Evaluated {result.Model} on {Path.GetFileName(result.Dataset)}: {result.Rows:N0} rows in {result.Seconds:0.###} s ({result.RowsPerSecond:N0} rows/s)\n\n");
        if (result.Accuracy is { } accuracy)
        {
            text.Append(CultureInfo.InvariantCulture, $"  accuracy  {accuracy:0.0000} ({result.Correct:N0}/{result.Rows:N0})\n");
            text.Append(CultureInfo.InvariantCulture, $"  loss      {result.Loss:0.0000} (categorical cross-entropy)\n\n");
            AppendClasses(text, result);
            text.Append('\n');
            AppendConfusionMatrix(text, result);
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"  loss      {result.Loss:G6} (mean squared error)\n");
            text.Append(CultureInfo.InvariantCulture, $"  MAE       {result.MeanAbsoluteError:G6}\n");
        }

        if (result.ProfilePath is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nReference profile written to {result.ProfilePath}\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    private static void AppendClasses(StringBuilder text, EvaluationResult result)
    {
        TextTable table = new TextTable("class", "precision", "recall", "rows").AlignRight(1, 2, 3);
        foreach (ClassMetrics metrics in result.Classes)
        {
            table.AddRow(metrics.Name, FormatShare(metrics.Precision), FormatShare(metrics.Recall), metrics.Rows.ToString("N0", CultureInfo.InvariantCulture));
        }

        text.Append(table);
    }

    private static void AppendConfusionMatrix(StringBuilder text, EvaluationResult result)
    {
        text.Append("Confusion matrix (rows: true class, columns: predicted class)\n");
        TextTable table = new TextTable([string.Empty, .. result.ClassNames]).AlignRight([.. Enumerable.Range(1, result.ClassNames.Count)]);
        for (int actual = 0; actual < result.ConfusionMatrix.Count; actual++)
        {
            table.AddRow([result.ClassNames[actual], .. result.ConfusionMatrix[actual].Select(count => count.ToString(CultureInfo.InvariantCulture))]);
        }

        text.Append(table);
    }

    private static string FormatShare(double? value) =>
        value is { } share ? share.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}
