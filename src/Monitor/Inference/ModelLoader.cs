using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Monitor.Hosting;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Monitor.Repository;
using Monitor.Telemetry;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;

namespace Monitor.Inference;

/// <summary>
/// Creates ONNX Runtime sessions for model versions: CUDA when configured and available, CPU
/// otherwise, then one warm-up run so that the first request does not pay for initialisation.
/// </summary>
public sealed class ModelLoader
{
    private readonly MonitorOptions options;
    private readonly MonitorMetrics metrics;
    private readonly ILogger<ModelLoader> logger;

    // set after the first failed CUDA attempt, so that later loads go straight to CPU
    private volatile string? cudaUnavailableReason;

    private readonly ResiliencePipelineRegistry<string> pipelines;
    private long loadCount;

    public ModelLoader(
        IOptions<MonitorOptions> options,
        MonitorMetrics metrics,
        ResiliencePipelineRegistry<string> pipelines,
        ILogger<ModelLoader> logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        this.options = options.Value;
        this.metrics = metrics;
        this.pipelines = pipelines;
        this.logger = logger;
    }

    /// <summary>Loads one version and starts its scheduler.</summary>
    /// <exception cref="ModelLoadException">The file is not a loadable ONNX model, or its tensors are not supported.</exception>
    public LoadedModel Load(string name, ModelVersionEntry entry, ModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(settings);

        string versionLabel = entry.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        long started = Stopwatch.GetTimestamp();
        this.logger.LoadingModel(name, entry.Version, entry.ModelPath);

        LoadedModel? model = null;
        try
        {
            // a file still being written fails with an IOException; the retry pipeline waits and tries again
            (InferenceSession session, string provider) = this.pipelines.GetPipeline(ResiliencePipelineKeys.ModelLoad)
                .Execute(() => this.CreateSession(name, entry));
            model = new LoadedModel(name, entry.Version, session, provider, settings, entry.ModelPath);
            (model.CircuitBreaker, model.CircuitStateProvider) = this.CreateCircuitBreaker(name, entry.Version);
            model.Quality = Monitor.Quality.ModelQuality.Create(model, this.options.Quality, this.logger);
            Validate(model);
            WarmUp(model);
            model.Scheduler = new InferenceScheduler(model, this.EffectiveBatching(settings), this.metrics, this.logger);

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            this.metrics.RecordLoad(name, versionLabel, seconds);
            this.logger.LoadedModel(
                name, entry.Version, provider, seconds, model.Task.ToString(),
                string.Join(", ", model.Inputs.Select(input => $"{input.Name} {input.Datatype}{input.FormatShape()}")),
                string.Join(", ", model.Outputs.Select(output => $"{output.Name} {output.Datatype}{output.FormatShape()}")));
            return model;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            model?.Dispose();
            this.metrics.RecordLoadFailure(name, versionLabel);
            // the reason reaches clients through metadata and errors, so it names the file, not its path
            string reason = (exception is OnnxRuntimeException ? $"ONNX Runtime could not load the file ({exception.Message.Trim()})" : exception.Message)
                .Replace(entry.ModelPath, ModelRepositoryScanner.ModelFileName, StringComparison.Ordinal);
            this.logger.ModelLoadFailed(name, entry.Version, entry.ModelPath, reason, exception);
            throw exception as ModelLoadException ?? new ModelLoadException($"Model '{name}' version {entry.Version}: {reason}", exception);
        }
    }

    private (ResiliencePipeline Pipeline, CircuitBreakerStateProvider State) CreateCircuitBreaker(string name, long version)
    {
        CircuitBreakerStateProvider state = new();
        CircuitBreakerOptions breaker = this.options.CircuitBreaker;
        string key = ResiliencePipelineKeys.CircuitBreaker(name, version, Interlocked.Increment(ref this.loadCount));
        ResiliencePipeline pipeline = this.pipelines.GetOrAddPipeline(key, builder => builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            Name = "model-circuit-breaker",
            FailureRatio = breaker.FailureRatio,
            MinimumThroughput = breaker.MinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(breaker.SamplingDurationSeconds),
            BreakDuration = TimeSpan.FromSeconds(breaker.BreakDurationSeconds),
            ShouldHandle = new PredicateBuilder().Handle<OnnxRuntimeException>(),
            StateProvider = state,
        }));
        return (pipeline, state);
    }

    /// <summary>Merges a model's batching overrides with the daemon defaults.</summary>
    internal BatchingOptions EffectiveBatching(ModelSettings settings)
    {
        BatchingOptions defaults = this.options.Batching;
        ModelBatchingSettings? overrides = settings.Batching;
        return new BatchingOptions
        {
            Enabled = overrides?.Enabled ?? defaults.Enabled,
            MaxBatchSize = overrides?.MaxBatchSize ?? defaults.MaxBatchSize,
            MaxQueueDelayMilliseconds = overrides?.MaxQueueDelayMilliseconds ?? defaults.MaxQueueDelayMilliseconds,
            QueueCapacity = overrides?.QueueCapacity ?? defaults.QueueCapacity,
            MaxConcurrentBatches = overrides?.MaxConcurrentBatches ?? defaults.MaxConcurrentBatches,
        };
    }

    private (InferenceSession Session, string Provider) CreateSession(string name, ModelVersionEntry entry)
    {
        string requested = this.options.ExecutionProvider.ToUpperInvariant();
        if (requested == "CUDA" || (requested == "AUTO" && this.cudaUnavailableReason is null))
        {
            SessionOptions cudaOptions = NewSessionOptions();
            try
            {
                cudaOptions.AppendExecutionProvider_CUDA(this.options.CudaDeviceId);
                return (new InferenceSession(entry.ModelPath, cudaOptions), ExecutionProviders.Cuda);
            }
            catch (OnnxRuntimeException exception) when (requested == "AUTO" && !IsModelError(exception))
            {
                cudaOptions.Dispose();
                this.cudaUnavailableReason = exception.Message.Trim();
                this.logger.CudaUnavailable(name, entry.Version, this.cudaUnavailableReason);
            }
            catch
            {
                cudaOptions.Dispose();
                throw;
            }
        }

        SessionOptions cpuOptions = NewSessionOptions();
        return (new InferenceSession(entry.ModelPath, cpuOptions), ExecutionProviders.Cpu);
    }

    /// <summary>Tells a broken model file apart from a missing CUDA library, so that the former is not retried on CPU.</summary>
    private static bool IsModelError(OnnxRuntimeException exception) =>
        exception.Message.Contains("InvalidProtobuf", StringComparison.Ordinal) ||
        exception.Message.Contains("INVALID_PROTOBUF", StringComparison.Ordinal) ||
        exception.Message.Contains("NO_SUCHFILE", StringComparison.Ordinal) ||
        exception.Message.Contains("INVALID_GRAPH", StringComparison.Ordinal);

    private SessionOptions NewSessionOptions() => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        IntraOpNumThreads = this.options.IntraOpThreads,
    };

    private static void Validate(LoadedModel model)
    {
        // NOTE: Monitor decodes requests to float32 and copies float32 outputs, which covers
        // Keras exports; graphs with other tensor types are refused at load.
        foreach (TensorSpec tensor in model.Inputs.Concat(model.Outputs))
        {
            if (tensor.ElementType != TensorElementType.Float)
            {
                throw new ModelLoadException(
                    $"Model '{model.Name}' version {model.Version}: tensor '{tensor.Name}' is {tensor.Datatype}; Monitor serves models whose inputs and outputs are FP32.");
            }
        }

        if (model.Inputs.Count == 0 || model.Outputs.Count == 0)
        {
            throw new ModelLoadException($"Model '{model.Name}' version {model.Version}: the graph has no inputs or no outputs.");
        }

        if (model.Settings.ClassNames is { } names && model.Task == ModelTask.Classification && names.Count != model.ClassCount)
        {
            throw new ModelLoadException(
                $"Model '{model.Name}' version {model.Version}: monitor.json lists {names.Count} class names but output '{model.Outputs[0].Name}' has {model.ClassCount} classes.");
        }
    }

    /// <summary>Runs one row of zeros (symbolic dimensions as 1) so that ONNX Runtime allocates its buffers now.</summary>
    private static void WarmUp(LoadedModel model)
    {
        float[][] buffers = new float[model.Inputs.Count][];
        long[][] shapes = new long[model.Inputs.Count][];
        for (int i = 0; i < model.Inputs.Count; i++)
        {
            shapes[i] = model.Inputs[i].Dimensions.Select(dimension => dimension < 0 ? 1 : dimension).ToArray();
            buffers[i] = new float[TensorShapes.ElementCount(shapes[i])];
        }

        using IDisposableReadOnlyCollection<OrtValue> results = model.Run(buffers, shapes);
    }
}

/// <summary>A model version that could not be loaded; the message names the model, version and reason.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
