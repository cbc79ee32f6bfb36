namespace Monitor.Inference;

/// <summary>The top-1 class of one row and its probability.</summary>
public readonly record struct ClassPrediction(int ClassIndex, float Confidence)
{
    /// <summary>
    /// Finds the top class of each row of a [rows, classes] output. A [rows, 1] output is one
    /// sigmoid unit, whose class is 1 when it is at least 0.5. When a row is a probability
    /// distribution (values in [0, 1] that sum to 1 within 1e-3, as Keras softmax outputs are),
    /// the confidence is its maximum. Otherwise the row contains logits, and the confidence is the
    /// softmax probability of the maximum.
    /// </summary>
    public static ClassPrediction[] FromOutput(ReadOnlySpan<float> data, int rows)
    {
        ClassPrediction[] predictions = new ClassPrediction[rows];
        if (rows == 0)
        {
            return predictions;
        }

        int classes = data.Length / rows;
        if (classes == 1)
        {
            // one sigmoid unit: p is the probability of class 1
            for (int row = 0; row < rows; row++)
            {
                float p = data[row];
                predictions[row] = p >= 0.5f ? new ClassPrediction(1, p) : new ClassPrediction(0, 1 - p);
            }

            return predictions;
        }

        for (int row = 0; row < rows; row++)
        {
            predictions[row] = FromRow(data.Slice(row * classes, classes));
        }

        return predictions;
    }

    public static ClassPrediction FromRow(ReadOnlySpan<float> row)
    {
        int best = 0;
        double sum = 0;
        bool probabilities = true;
        for (int i = 0; i < row.Length; i++)
        {
            float value = row[i];
            sum += value;
            probabilities &= value >= 0f && value <= 1f;
            if (value > row[best])
            {
                best = i;
            }
        }

        if (probabilities && Math.Abs(sum - 1) <= 1e-3)
        {
            return new ClassPrediction(best, row[best]);
        }

        double denominator = 0;
        for (int i = 0; i < row.Length; i++)
        {
            denominator += Math.Exp(row[i] - row[best]);
        }

        return new ClassPrediction(best, (float)(1 / denominator));
    }
}
