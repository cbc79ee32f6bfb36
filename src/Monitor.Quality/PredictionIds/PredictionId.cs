namespace Monitor.Quality;

/// <summary>
/// Prediction that a client can send back with its true label, carried inside a signed token.
/// </summary>
/// <param name="Model">Name of the model that made the prediction.</param>
/// <param name="Version">Version of the model that made the prediction.</param>
/// <param name="PredictedClass">Index of the top-1 class, or -1 for a regression output.</param>
/// <param name="PredictedValue">Predicted value of a regression output, or the class index for classification.</param>
/// <param name="Confidence">Top-1 probability of a classification output, or NaN for regression.</param>
/// <param name="Timestamp">Time of the prediction.</param>
public sealed record PredictionId(
    string Model,
    int Version,
    int PredictedClass,
    double PredictedValue,
    float Confidence,
    DateTimeOffset Timestamp)
{
    /// <summary>Value of <see cref="PredictedClass"/> for a regression output.</summary>
    public const int RegressionClass = -1;

    /// <summary>Gets a value indicating whether the prediction is a regression output.</summary>
    public bool IsRegression => this.PredictedClass == RegressionClass;

    /// <summary>Creates the id of a classification output.</summary>
    public static PredictionId ForClass(string model, int version, int predictedClass, float confidence, DateTimeOffset timestamp)
    {
        return new PredictionId(model, version, predictedClass, predictedClass, confidence, timestamp);
    }

    /// <summary>Creates the id of a regression output.</summary>
    public static PredictionId ForValue(string model, int version, double predictedValue, DateTimeOffset timestamp)
    {
        return new PredictionId(model, version, RegressionClass, predictedValue, float.NaN, timestamp);
    }
}
