namespace Monitor.Quality;

/// <summary>
/// Estimates a classifier's accuracy without labels from its top-1 confidence, in the spirit of
/// NannyML's confidence-based performance estimation (CBPE).
/// </summary>
/// <remarks>
/// <para>
/// If the top-1 probabilities are calibrated, a prediction with confidence c is correct with probability c,
/// so the expected accuracy over a window is its mean top-1 confidence. Calibration is the key assumption:
/// networks trained with cross-entropy are often overconfident, which makes the plain estimate too high.
/// The estimate is also noisy for small windows.
/// </para>
/// <para>
/// With a reference profile that has an accuracy, the estimate is scaled by reference accuracy divided by
/// reference mean confidence. That corrects a miscalibration that stays the same between reference and live
/// data, and is exact on the reference data itself. NannyML instead fits a calibration map on reference data,
/// which can also correct a miscalibration that differs between confidence levels. Neither variant can see concept drift: when the relation
/// between inputs and labels changes while the confidence stays the same, the estimate stays the same too.
/// Estimates are clamped to [0, 1]. Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class ConfidenceAccuracyEstimator
{
    /// <summary>Initializes a new instance of the <see cref="ConfidenceAccuracyEstimator"/> class.</summary>
    /// <param name="reference">
    /// Reference profile used for calibration, or null for the plain estimate. A profile without accuracy,
    /// or with a mean confidence of 0, also gives the plain estimate.
    /// </param>
    public ConfidenceAccuracyEstimator(ReferenceProfile? reference = null)
    {
        if (reference is { Accuracy: double accuracy, MeanConfidence: > 0 })
        {
            this.CalibrationFactor = accuracy / reference.MeanConfidence;
            this.IsReferenceCalibrated = true;
        }
        else
        {
            this.CalibrationFactor = 1.0;
        }
    }

    /// <summary>Gets a value indicating whether estimates are scaled by a reference profile.</summary>
    public bool IsReferenceCalibrated { get; }

    /// <summary>Gets the factor that multiplies the mean confidence: reference accuracy over reference mean confidence, or 1.</summary>
    public double CalibrationFactor { get; }

    /// <summary>Estimates the accuracy of the predictions in a window.</summary>
    /// <returns>The estimate from 0 to 1, or NaN when the window is empty.</returns>
    public double Estimate(PredictionWindowSnapshot window)
    {
        ArgumentNullException.ThrowIfNull(window);

        return window.Count == 0 ? double.NaN : this.Estimate(window.MeanConfidence);
    }

    /// <summary>Estimates accuracy from a mean top-1 confidence.</summary>
    /// <returns>The estimate from 0 to 1, or NaN when the mean is NaN.</returns>
    public double Estimate(double meanConfidence)
    {
        if (double.IsNaN(meanConfidence))
        {
            return double.NaN;
        }

        return Math.Clamp(meanConfidence * this.CalibrationFactor, 0.0, 1.0);
    }
}
