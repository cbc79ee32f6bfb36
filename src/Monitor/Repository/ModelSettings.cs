using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Repository;

/// <summary>
/// Per-model settings from <c>&lt;model&gt;/monitor.json</c>: what the ONNX graph does not describe.
/// Every property is optional; defaults come from the graph and the daemon's configuration.
/// </summary>
public sealed class ModelSettings
{
    public const string FileName = "monitor.json";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Gets or sets the model's task; inferred from the first output's shape when absent.</summary>
    public ModelTask? Task { get; set; }

    /// <summary>Gets or sets the class names, by class index, for classification models.</summary>
    public IReadOnlyList<string>? ClassNames { get; set; }

    /// <summary>Gets or sets the preprocessing applied to every input value before inference.</summary>
    public InputPreprocessing Input { get; set; } = new();

    /// <summary>Gets or sets batching settings that override the daemon's defaults for this model.</summary>
    public ModelBatchingSettings? Batching { get; set; }

    /// <summary>Gets or sets the reference profile file, relative to the model folder. Default: <c>reference.json</c> when it exists.</summary>
    public string? ReferenceProfile { get; set; }

    /// <summary>Gets or sets the labelled dataset that the daemon scores this model on, on a schedule.</summary>
    public EvaluationSettings? Evaluation { get; set; }

    /// <summary>Gets or sets which versions are served. Default: the highest version only.</summary>
    public VersionPolicy? VersionPolicy { get; set; }

    /// <summary>Reads the settings of one model folder, or returns defaults when it has no <c>monitor.json</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON or contains invalid values.</exception>
    public static ModelSettings Load(string modelDirectory)
    {
        string path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path))
        {
            return new ModelSettings();
        }

        ModelSettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<ModelSettings>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"'{path}' is not valid model settings JSON: {exception.Message}", exception);
        }

        settings ??= new ModelSettings();
        settings.Validate(path);
        return settings;
    }

    private void Validate(string path)
    {
        if (this.ClassNames is { Count: 0 })
        {
            throw new InvalidDataException($"'{path}': classNames is empty; remove it or list one name per class.");
        }

        if (this.ClassNames is not null && this.ClassNames.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidDataException($"'{path}': classNames contains an empty name.");
        }

        if (!float.IsFinite(this.Input.Scale) || !float.IsFinite(this.Input.Offset))
        {
            throw new InvalidDataException($"'{path}': input.scale and input.offset must be finite numbers.");
        }

        if (this.Evaluation is { } evaluation &&
            (string.IsNullOrWhiteSpace(evaluation.Dataset) || Path.IsPathRooted(evaluation.Dataset) || evaluation.Dataset.Contains("..", StringComparison.Ordinal) || evaluation.IntervalSeconds is < 1 or > 31_536_000))
        {
            throw new InvalidDataException($"'{path}': evaluation.dataset must name a file inside the model folder and evaluation.intervalSeconds must be from 1 to 31536000 (a year).");
        }

        this.VersionPolicy?.Validate(path);

        if (this.Batching is { MaxBatchSize: < 1 } or { QueueCapacity: < 1 } or { MaxQueueDelayMilliseconds: < 0 })
        {
            throw new InvalidDataException($"'{path}': batching.maxBatchSize and batching.queueCapacity must be at least 1, batching.maxQueueDelayMilliseconds at least 0.");
        }
    }
}

/// <summary>What a model predicts.</summary>
public enum ModelTask
{
    Classification,
    Regression,
}

/// <summary>Linear preprocessing of input values: <c>value * Scale + Offset</c>.</summary>
public sealed class InputPreprocessing
{
    /// <summary>Gets or sets the factor each input value is multiplied by. Default: 1.</summary>
    public float Scale { get; set; } = 1;

    /// <summary>Gets or sets the value added after scaling. Default: 0.</summary>
    public float Offset { get; set; }
}

/// <summary>Batching overrides for one model; an absent value keeps the daemon default.</summary>
public sealed class ModelBatchingSettings
{
    public bool? Enabled { get; set; }

    public int? MaxBatchSize { get; set; }

    public double? MaxQueueDelayMilliseconds { get; set; }

    public int? QueueCapacity { get; set; }

    public int? MaxConcurrentBatches { get; set; }
}

/// <summary>A labelled dataset in the model folder (CSV, MNIST IDX or NPY) scored on a schedule.</summary>
public sealed class EvaluationSettings
{
    /// <summary>Gets or sets the dataset file, relative to the model folder.</summary>
    public string Dataset { get; set; } = string.Empty;

    /// <summary>Gets or sets the CSV label column (name or zero-based index). Default: the last column.</summary>
    public string? LabelColumn { get; set; }

    /// <summary>Gets or sets the labels file for IDX or NPY datasets, relative to the model folder.</summary>
    public string? Labels { get; set; }

    /// <summary>Gets or sets the most rows scored per run. Default: all.</summary>
    public int? Limit { get; set; }

    /// <summary>Gets or sets the time between runs, in seconds. Default: 300.</summary>
    public double IntervalSeconds { get; set; } = 300;
}
