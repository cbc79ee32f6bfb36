namespace Monitor.Tests.Infrastructure;

/// <summary>
/// MNIST test-set rows sent to one model in two rounds, with the class that ONNX Runtime
/// predicts for each row in this process.
/// </summary>
public sealed class MnistStream
{
    public MnistStream(string model, IReadOnlyList<int> rows, IReadOnlyList<int> predicted, int firstRoundRows)
    {
        this.Model = model;
        this.Rows = rows;
        this.Predicted = predicted;
        this.FirstRoundRows = firstRoundRows;
    }

    public string Model { get; }

    /// <summary>Gets the test-set row numbers in the order they are sent.</summary>
    public IReadOnlyList<int> Rows { get; }

    /// <summary>Gets the class predicted offline for each entry of <see cref="Rows"/>.</summary>
    public IReadOnlyList<int> Predicted { get; }

    public int FirstRoundRows { get; }

    /// <summary>Returns the rows of one round: 0 is the first <see cref="FirstRoundRows"/>, 1 the rest.</summary>
    public IReadOnlyList<int> RoundRows(int round) =>
        round == 0 ? this.Rows.Take(this.FirstRoundRows).ToArray() : this.Rows.Skip(this.FirstRoundRows).ToArray();

    /// <summary>Counts the rows from <paramref name="start"/> on whose offline prediction equals the true label.</summary>
    public int CountCorrect(int start = 0)
    {
        int[] labels = MnistData.TestSet.ClassLabels!;
        int correct = 0;
        for (int i = start; i < this.Rows.Count; i++)
        {
            correct += this.Predicted[i] == labels[this.Rows[i]] ? 1 : 0;
        }

        return correct;
    }

    /// <summary>
    /// Predicts <paramref name="rows"/> offline and moves the first misclassified row to the front,
    /// so that the first round scores both outcomes.
    /// </summary>
    public static MnistStream Create(string model, IReadOnlyList<int> rows, float scale, int firstRoundRows)
    {
        int first = rows.Min();
        (int Class, float Confidence)[] predictions = MnistData.PredictInProcess(Testing.Fixtures.MnistMlp, scale, first, rows.Max() - first + 1);
        int[] labels = MnistData.TestSet.ClassLabels!;
        List<int> ordered = [.. rows];
        int wrong = ordered.FindIndex(row => predictions[row - first].Class != labels[row]);
        if (wrong > 0)
        {
            int row = ordered[wrong];
            ordered.RemoveAt(wrong);
            ordered.Insert(0, row);
        }

        return new MnistStream(model, ordered, ordered.Select(row => predictions[row - first].Class).ToArray(), firstRoundRows);
    }
}
