using Microsoft.ML.OnnxRuntime;
using Monitor.Repository;
using Polly;
using Polly.CircuitBreaker;

namespace Monitor.Inference;

/// <summary>
/// One loaded model version: its ONNX Runtime session, graph signature, settings and scheduler.
/// Requests hold a lease so that the session is disposed only after the last of them ends.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private readonly InferenceSession session;
    private readonly string[] outputNames;
    private readonly string[] inputNames;
    private readonly RunOptions runOptions = new();
    private readonly TaskCompletionSource unloaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int leases = 1;
    private int disposed;

    internal LoadedModel(
        string name,
        long version,
        InferenceSession session,
        string provider,
        ModelSettings settings,
        string modelPath)
    {
        this.Name = name;
        this.Version = version;
        this.VersionLabel = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        this.session = session;
        this.Provider = provider;
        this.Settings = settings;
        this.ModelPath = modelPath;
        this.Inputs = session.InputMetadata.Select(pair => TensorSpec.FromMetadata(pair.Key, pair.Value)).ToArray();
        this.Outputs = session.OutputMetadata.Select(pair => TensorSpec.FromMetadata(pair.Key, pair.Value)).ToArray();
        this.inputNames = this.Inputs.Select(input => input.Name).ToArray();
        this.outputNames = this.Outputs.Select(output => output.Name).ToArray();
        this.Producer = session.ModelMetadata.ProducerName;
        this.Task = settings.Task ?? InferTask(this.Outputs[0]);
        // a single sigmoid unit, as a Keras binary classifier exports, is two classes
        this.ClassCount = this.Task == ModelTask.Classification ? (int)Math.Max(this.Outputs[0].Dimensions[^1], 2) : 0;
        this.ClassNames = settings.ClassNames?.ToArray()
            ?? Enumerable.Range(0, this.ClassCount).Select(index => index.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        this.CanBatch = this.Inputs.All(input => input.HasDynamicBatch && !input.HasSymbolicInnerDimension);
    }

    public string Name { get; }

    public long Version { get; }

    /// <summary>Gets the version as the <c>version</c> label and the protocol show it.</summary>
    public string VersionLabel { get; }

    /// <summary>Gets the execution provider the session runs on, for example <c>CPUExecutionProvider</c>.</summary>
    public string Provider { get; }

    public ModelSettings Settings { get; }

    public string ModelPath { get; }

    public string Producer { get; }

    public IReadOnlyList<TensorSpec> Inputs { get; }

    public IReadOnlyList<TensorSpec> Outputs { get; }

    public ModelTask Task { get; }

    /// <summary>Gets the number of classes: the last dimension of the first output (2 for a single sigmoid unit); 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>Gets one name per class: from <c>monitor.json</c>, else the class index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Gets whether rows of several requests can run as one batch: every input has a symbolic first dimension and fixed others.</summary>
    public bool CanBatch { get; }

    /// <summary>Gets the circuit breaker around this version's runs.</summary>
    internal ResiliencePipeline CircuitBreaker { get; set; } = ResiliencePipeline.Empty;

    /// <summary>Gets the state of <see cref="CircuitBreaker"/>.</summary>
    internal CircuitBreakerStateProvider? CircuitStateProvider { get; set; }

    /// <summary>Gets or sets the quality state: class labels, live window and reference profile.</summary>
    internal Monitor.Quality.ModelQuality? Quality { get; set; }

    /// <summary>Gets or sets the scheduler that queues and batches this version's requests.</summary>
    internal InferenceScheduler? Scheduler { get; set; }

    /// <summary>Gets a task that completes once the session is disposed, after the last lease and the last queued batch.</summary>
    public Task Unloaded => this.unloaded.Task;

    /// <summary>Takes a lease that keeps the session alive until <see cref="Release"/>; false once disposal began.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref this.leases);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref this.leases, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref this.leases) == 0)
        {
            this.Unload();
        }
    }

    /// <summary>Runs one batch and returns ONNX Runtime's output values, which the caller disposes.</summary>
    /// <param name="buffers">One buffer per input, in input order.</param>
    /// <param name="shapes">The full shape of each input.</param>
    public IDisposableReadOnlyCollection<OrtValue> Run(float[][] buffers, long[][] shapes)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        ArgumentNullException.ThrowIfNull(shapes);

        OrtValue[] values = new OrtValue[buffers.Length];
        try
        {
            for (int i = 0; i < buffers.Length; i++)
            {
                long length = TensorShapes.ElementCount(shapes[i]);
                values[i] = OrtValue.CreateTensorValueFromMemory(
                    OrtMemoryInfo.DefaultInstance, new Memory<float>(buffers[i], 0, checked((int)length)), shapes[i]);
            }

            return this.session.Run(this.runOptions, this.inputNames, values, this.outputNames);
        }
        finally
        {
            foreach (OrtValue? value in values)
            {
                value?.Dispose();
            }
        }
    }

    /// <summary>
    /// Ends the loaded state: once the requests that hold a lease end, the scheduler stops and the
    /// session is disposed. Requests that resolved this version before it was replaced still run on it.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref this.disposed, 1) == 0)
        {
            this.Release();
        }
    }

    private static ModelTask InferTask(TensorSpec firstOutput) =>
        firstOutput.Rank >= 2 && firstOutput.Dimensions[^1] > 1 ? ModelTask.Classification : ModelTask.Regression;

    /// <summary>Stops the scheduler and disposes the session after its loop exits, so that no batch runs on a disposed session.</summary>
    private void Unload()
    {
        InferenceScheduler? scheduler = this.Scheduler;
        if (scheduler is null)
        {
            this.DisposeSession();
            return;
        }

        // no request holds a lease now, so the queue holds at most requests whose callers went away
        scheduler.Complete();
        _ = scheduler.Completion.ContinueWith(_ => this.DisposeSession(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void DisposeSession()
    {
        this.session.Dispose();
        this.runOptions.Dispose();
        this.unloaded.TrySetResult();
    }
}
