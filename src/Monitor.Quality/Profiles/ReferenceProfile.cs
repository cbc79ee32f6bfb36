using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Quality;

/// <summary>
/// Distribution of a classifier's predictions on reference data, usually its validation set, which live
/// predictions are compared with to detect drift.
/// </summary>
/// <remarks>
/// The JSON form uses camelCase property names, for example
/// <c>{"classNames":["a","b"],"classShares":[0.5,0.5],"confidenceBucketBounds":[0.5,1.0],
/// "confidenceShares":[0.2,0.8],"meanConfidence":0.8,"rows":10,"accuracy":0.9}</c>.
/// Shares may be rounded: each set must sum to 1 within <see cref="ShareSumTolerance"/>.
/// </remarks>
public sealed class ReferenceProfile
{
    /// <summary>Largest allowed distance between the sum of a set of shares and 1.</summary>
    public const double ShareSumTolerance = 1e-3;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Initializes a new instance of the <see cref="ReferenceProfile"/> class and validates it.</summary>
    /// <exception cref="ArgumentException">A value breaks the rules on its property. The message lists every problem.</exception>
    [JsonConstructor]
    public ReferenceProfile(
        string[] classNames,
        double[] classShares,
        double[] confidenceBucketBounds,
        double[] confidenceShares,
        double meanConfidence,
        int rows,
        double? accuracy = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(classShares);
        ArgumentNullException.ThrowIfNull(confidenceBucketBounds);
        ArgumentNullException.ThrowIfNull(confidenceShares);

        this.ClassNames = classNames;
        this.ClassShares = classShares;
        this.ConfidenceBucketBounds = confidenceBucketBounds;
        this.ConfidenceShares = confidenceShares;
        this.MeanConfidence = meanConfidence;
        this.Rows = rows;
        this.Accuracy = accuracy;

        List<string> problems = ReferenceProfileValidator.FindProblems(this);
        if (problems.Count > 0)
        {
            throw new ArgumentException("The reference profile is invalid: " + string.Join(" ", problems));
        }
    }

    /// <summary>Gets the class names, indexed by class.</summary>
    public string[] ClassNames { get; }

    /// <summary>Gets the share of rows predicted as each class. The shares sum to 1.</summary>
    public double[] ClassShares { get; }

    /// <summary>Gets the upper bounds of the confidence buckets, strictly increasing.</summary>
    public double[] ConfidenceBucketBounds { get; }

    /// <summary>Gets the share of rows whose top-1 confidence falls in each bucket, not cumulative. The shares sum to 1.</summary>
    public double[] ConfidenceShares { get; }

    /// <summary>Gets the mean top-1 confidence, from 0 to 1.</summary>
    public double MeanConfidence { get; }

    /// <summary>Gets the number of rows the profile was built from.</summary>
    public int Rows { get; }

    /// <summary>Gets the accuracy over the labelled reference rows, or null when no row had a label.</summary>
    public double? Accuracy { get; }

    /// <summary>Reads a profile from a JSON file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON or the profile breaks a rule. The message names the file.</exception>
    public static ReferenceProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        string json = File.ReadAllText(path);
        try
        {
            return FromJson(json);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"'{path}': {exception.Message}", exception);
        }
    }

    /// <summary>Parses a profile from JSON text.</summary>
    /// <exception cref="InvalidDataException">The text is not valid JSON or the profile breaks a rule.</exception>
    public static ReferenceProfile FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        try
        {
            return JsonSerializer.Deserialize<ReferenceProfile>(json, JsonOptions)
                ?? throw new InvalidDataException("The reference profile JSON is 'null'; expected an object.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The reference profile is not valid JSON: {exception.Message}", exception);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException(exception.Message, exception);
        }
    }

    /// <summary>Writes the profile to a JSON file, replacing it through a temporary file in the same folder.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        string temporaryPath = path + ".tmp";
        File.WriteAllText(temporaryPath, this.ToJson());
        File.Move(temporaryPath, path, overwrite: true);
    }

    /// <summary>Serializes the profile to indented JSON with camelCase names.</summary>
    public string ToJson()
    {
        return JsonSerializer.Serialize(this, JsonOptions);
    }

    /// <summary>Computes the share of rows with confidence at or below each bound, as the Prometheus <c>le</c> form uses.</summary>
    public double[] GetCumulativeConfidenceShares()
    {
        double[] cumulative = new double[this.ConfidenceShares.Length];
        double total = 0;
        for (int i = 0; i < cumulative.Length; i++)
        {
            total += this.ConfidenceShares[i];
            cumulative[i] = total;
        }

        return cumulative;
    }
}
