using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Monitor.Inference;
using Monitor.Quality;
using Monitor.Repository;

namespace Monitor.Cli;

/// <summary>
/// Runs a labelled dataset through a single-input FP32 model on the CPU and accumulates Keras-style metrics.
/// Holds an <see cref="InferenceSession"/> and must be disposed.
/// </summary>
internal sealed class ModelEvaluator : IDisposable
{
    private readonly InferenceSession session;
    private readonly TensorSpec input;
    private readonly TensorSpec output;

    private ModelEvaluator(InferenceSession session, TensorSpec input, TensorSpec output, ModelTask task, int classCount)
    {
        this.session = session;
        this.input = input;
        this.output = output;
        this.Task = task;
        this.ClassCount = classCount;
    }

    public ModelTask Task { get; }

    /// <summary>Gets the number of classes of a classifier, 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>Gets the number of feature values the model takes per row.</summary>
    public long RowSize => this.input.RowSize;

    /// <summary>Opens the model and checks that the verbs can feed it.</summary>
    /// <exception cref="CommandException">The model cannot be loaded or has a signature the verbs do not feed (exit code 2).</exception>
    public static ModelEvaluator Open(ModelLocation location, ModelSettings settings)
    {
        InferenceSession session = ModelSessions.Open(location.ModelPath);
        try
        {
            TensorSpec[] inputs = [.. session.InputMetadata.Select(pair => TensorSpec.FromMetadata(pair.Key, pair.Value))];
            TensorSpec[] outputs = [.. session.OutputMetadata.Select(pair => TensorSpec.FromMetadata(pair.Key, pair.Value))];
            if (inputs.Length != 1 || outputs.Length == 0)
            {
                throw CommandException.Usage($"Model '{location.Name}' has {inputs.Length} inputs and {outputs.Length} outputs; evaluate feeds models with one input.");
            }

            TensorSpec input = inputs[0];
            TensorSpec output = outputs[0];
            foreach (TensorSpec tensor in new[] { input, output })
            {
                if (tensor.ElementType != TensorElementType.Float)
                {
                    throw CommandException.Usage($"Model '{location.Name}': tensor '{tensor.Name}' is {tensor.Datatype}; evaluate feeds FP32 models.");
                }
            }

            if (input.HasSymbolicInnerDimension)
            {
                throw CommandException.Usage($"Model '{location.Name}': input '{input.Name}' has the symbolic shape {input.FormatShape()} after the batch dimension; evaluate needs a fixed row shape.");
            }

            ModelTask task = ModelInspector.InferTask(settings, output);
            int classCount = task == ModelTask.Classification ? (int)Math.Max(output.Dimensions[^1], 1) : 0;
            return new ModelEvaluator(session, input, output, task, classCount);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs every row and returns the accumulated metrics.</summary>
    /// <param name="data">Labelled rows whose size matches the model input.</param>
    /// <param name="preprocessing">Scale and offset applied to every feature value.</param>
    /// <param name="batchSize">Rows per run; a model with a fixed batch dimension uses that size instead.</param>
    /// <param name="profile">Receives each prediction of a classifier, or null.</param>
    /// <param name="progress">Receives the rows done after each run.</param>
    public EvaluationRun Run(LabelledDataset data, InputPreprocessing preprocessing, int batchSize, ReferenceProfileBuilder? profile, Action<int> progress, CancellationToken cancellationToken)
    {
        int rowSize = (int)this.input.RowSize;
        int runRows = this.input.HasDynamicBatch ? batchSize : (int)Math.Max(this.input.Dimensions[0], 1);
        long[] shape = [.. this.input.Dimensions];
        float[] buffer = new float[runRows * rowSize];
        EvaluationRun run = new(this.Task, this.ClassCount);

        using RunOptions runOptions = new();
        Stopwatch stopwatch = Stopwatch.StartNew();
        for (int first = 0; first < data.Rows; first += runRows)
        {
            cancellationToken.ThrowIfCancellationRequested();

            int rows = Math.Min(runRows, data.Rows - first);
            int fed = this.input.HasDynamicBatch ? rows : runRows;
            Array.Clear(buffer);
            Preprocess(data.Features.AsSpan(first * rowSize, rows * rowSize), buffer, preprocessing);
            shape[0] = fed;

            using OrtValue value = OrtValue.CreateTensorValueFromMemory(buffer, shape);
            using IDisposableReadOnlyCollection<OrtValue> results = this.session.Run(runOptions, [this.input.Name], [value], [this.output.Name]);
            ReadOnlySpan<float> outputs = results[0].GetTensorDataAsSpan<float>();
            int outputSize = outputs.Length / fed;
            for (int row = 0; row < rows; row++)
            {
                run.Add(data, first + row, outputs.Slice(row * outputSize, outputSize), profile);
            }

            progress(first + rows);
        }

        run.Seconds = stopwatch.Elapsed.TotalSeconds;
        return run;
    }

    public void Dispose() => this.session.Dispose();

    private static void Preprocess(ReadOnlySpan<float> features, Span<float> buffer, InputPreprocessing preprocessing)
    {
        float scale = preprocessing.Scale;
        float offset = preprocessing.Offset;
        for (int i = 0; i < features.Length; i++)
        {
            buffer[i] = (features[i] * scale) + offset;
        }
    }
}
