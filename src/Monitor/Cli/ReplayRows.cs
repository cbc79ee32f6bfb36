using Monitor.Quality;

namespace Monitor.Cli;

/// <summary>The dataset rows a replay sends, in order and repeated as needed, with the drift applied.</summary>
internal sealed class ReplayRows
{
    private readonly LabelledDataset data;
    private readonly int[] indexes;
    private readonly float? invertAround;

    private ReplayRows(LabelledDataset data, int[] indexes, float? invertAround)
    {
        this.data = data;
        this.indexes = indexes;
        this.invertAround = invertAround;
    }

    /// <summary>Gets the number of distinct rows sent before the sequence repeats.</summary>
    public int Count => this.indexes.Length;

    /// <param name="data">Rows with class labels.</param>
    /// <param name="drift">The change to apply.</param>
    /// <param name="classes">The model's class count, or 0 to take it from the labels.</param>
    /// <exception cref="CommandException">The dataset has no class labels, or no row is left (exit code 2).</exception>
    public static ReplayRows Create(LabelledDataset data, ReplayDrift drift, int classes)
    {
        if (data.ClassLabels is not { } labels)
        {
            throw CommandException.Usage("The dataset has no class labels; replay sends them as feedback. Give --label-column or --labels.");
        }

        int[] indexes = [.. Enumerable.Range(0, data.Rows)];
        float? invertAround = null;
        if (drift == ReplayDrift.Subset)
        {
            int classCount = classes > 0 ? classes : labels.Max() + 1;
            int kept = Math.Max(1, (classCount + 1) / 2);
            indexes = [.. indexes.Where(row => labels[row] < kept)];
        }
        else if (drift == ReplayDrift.Invert)
        {
            invertAround = data.Features.Length == 0 ? 0 : data.Features.Max();
        }

        if (indexes.Length == 0)
        {
            throw CommandException.Usage("The dataset has no rows to replay.");
        }

        return new ReplayRows(data, indexes, invertAround);
    }

    /// <summary>Copies the features of the n-th row sent into <paramref name="destination"/> and returns its class label.</summary>
    public int CopyRow(long sequence, Span<float> destination)
    {
        int row = this.indexes[(int)(sequence % this.indexes.Length)];
        ReadOnlySpan<float> features = this.data.GetRow(row);
        if (this.invertAround is { } max)
        {
            for (int i = 0; i < features.Length; i++)
            {
                destination[i] = max - features[i];
            }
        }
        else
        {
            features.CopyTo(destination);
        }

        return this.data.ClassLabels![row];
    }
}
