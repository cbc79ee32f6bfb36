using Monitor.Inference;
using Monitor.Quality;
using Monitor.Repository;

namespace Monitor.Cli;

/// <summary>The metrics of one evaluation while rows are added.</summary>
internal sealed class EvaluationRun
{
    private readonly float[] probabilities;

    public EvaluationRun(ModelTask task, int classCount)
    {
        this.Task = task;
        this.probabilities = new float[Math.Max(classCount, 1)];
        this.Classification = task == ModelTask.Classification ? new ClassificationEvaluator(classCount) : null;
        this.Regression = task == ModelTask.Regression ? new RegressionEvaluator() : null;
    }

    public ModelTask Task { get; }

    public ClassificationEvaluator? Classification { get; }

    public RegressionEvaluator? Regression { get; }

    /// <summary>Gets or sets the time spent in ONNX Runtime and metric updates, in seconds.</summary>
    public double Seconds { get; set; }

    public void Add(LabelledDataset data, int row, ReadOnlySpan<float> output, ReferenceProfileBuilder? profile)
    {
        if (this.Classification is { } classification)
        {
            int actual = data.ClassLabels![row];
            ReadOnlySpan<float> probabilities = this.ToProbabilities(output);
            classification.Add(actual, probabilities);
            if (profile is not null)
            {
                ClassPrediction prediction = ClassPrediction.FromRow(probabilities);
                profile.Add(prediction.ClassIndex, Math.Clamp(prediction.Confidence, 0f, 1f), actual);
            }

            return;
        }

        float target = data.TargetValues is { } targets ? targets[row] : data.ClassLabels![row];
        this.Regression!.Add(target, output[0]);
    }

    /// <summary>
    /// Returns the row itself when it is a probability distribution (as a Keras softmax output is), otherwise its
    /// softmax, so that logits give the same accuracy and a meaningful cross-entropy.
    /// </summary>
    private ReadOnlySpan<float> ToProbabilities(ReadOnlySpan<float> row)
    {
        double sum = 0;
        bool inRange = true;
        float max = row[0];
        foreach (float value in row)
        {
            sum += value;
            inRange &= value is >= 0f and <= 1f;
            max = Math.Max(max, value);
        }

        if (inRange && Math.Abs(sum - 1) <= 1e-3)
        {
            return row;
        }

        double denominator = 0;
        for (int i = 0; i < row.Length; i++)
        {
            denominator += Math.Exp(row[i] - max);
        }

        for (int i = 0; i < row.Length; i++)
        {
            this.probabilities[i] = (float)(Math.Exp(row[i] - max) / denominator);
        }

        return this.probabilities.AsSpan(0, row.Length);
    }
}
