using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Monitor.Inference;
using Monitor.Repository;
using Monitor.Telemetry;

namespace Monitor.Quality;

/// <summary>
/// Scores each model that names a labelled dataset in <c>monitor.json</c> (<c>evaluation</c>) on
/// a schedule, as Keras <c>evaluate</c> would: accuracy and categorical cross-entropy, or mean
/// squared error for regression. Runs go straight to ONNX Runtime, outside the serving metrics.
/// </summary>
internal sealed class CanaryEvaluationService : BackgroundService
{
    private const int BatchSize = 256;

    private readonly ModelRegistry registry;
    private readonly ILogger<CanaryEvaluationService> logger;
    private readonly Counter<long> runs;
    private readonly Dictionary<LoadedModel, DateTime> nextRuns = [];
    private readonly Dictionary<(string Model, string Version, string Dataset), CanaryResult> results = [];
    private readonly object gate = new();

    public CanaryEvaluationService(ModelRegistry registry, MonitorMetrics metrics, ILogger<CanaryEvaluationService> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);

        this.registry = registry;
        this.logger = logger;
        this.runs = metrics.Meter.CreateCounter<long>("monitor.canary.runs", "{run}", "Scheduled evaluations by outcome.");
        metrics.Meter.CreateObservableGauge("monitor.canary.accuracy", () => this.Observe(result => result.Accuracy), description: "Accuracy of the last scheduled evaluation.");
        metrics.Meter.CreateObservableGauge("monitor.canary.loss", () => this.Observe(result => result.Loss), description: "Loss of the last scheduled evaluation.");
        metrics.Meter.CreateObservableGauge("monitor.canary.duration", () => this.Observe(result => result.Seconds), "s", "Duration of the last scheduled evaluation.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using PeriodicTimer timer = new(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            LoadedModel[] ready = this.registry.Models.SelectMany(served => served.ReadyVersions).ToArray();
            foreach (LoadedModel gone in this.nextRuns.Keys.Except(ready).ToArray())
            {
                this.nextRuns.Remove(gone);
            }

            this.DropResultsOfUnloadedVersions(ready);

            foreach (LoadedModel model in ready)
            {
                if (model.Settings.Evaluation is { } evaluation && this.IsDue(model, evaluation))
                {
                    await Task.Run(() => this.Evaluate(model, evaluation, stoppingToken), stoppingToken);
                }
            }
        }
    }

    private bool IsDue(LoadedModel model, EvaluationSettings evaluation)
    {
        DateTime now = DateTime.UtcNow;
        if (this.nextRuns.TryGetValue(model, out DateTime next) && now < next)
        {
            return false;
        }

        this.nextRuns[model] = now.AddSeconds(evaluation.IntervalSeconds);
        return true;
    }

    private void Evaluate(LoadedModel model, EvaluationSettings evaluation, CancellationToken cancellationToken)
    {
        string dataset = Path.GetFileName(evaluation.Dataset);
        if (!model.TryAcquire())
        {
            return;
        }

        long started = Stopwatch.GetTimestamp();
        try
        {
            string modelDirectory = Path.GetDirectoryName(Path.GetDirectoryName(model.ModelPath)!)!;
            LabelledDataset data = DatasetReader.Read(
                Path.Combine(modelDirectory, evaluation.Dataset),
                new DatasetReadOptions
                {
                    LabelColumn = evaluation.LabelColumn,
                    LabelsPath = evaluation.Labels is null ? null : Path.Combine(modelDirectory, evaluation.Labels),
                    Limit = evaluation.Limit,
                    RequireLabels = true,
                    LabelKind = model.Task == ModelTask.Classification ? DatasetLabelKind.Classification : DatasetLabelKind.Regression,
                });

            (double accuracy, double loss) = Score(model, data, cancellationToken);
            this.Store(model, dataset, new CanaryResult(accuracy, loss, Stopwatch.GetElapsedTime(started).TotalSeconds));
            this.runs.Add(1, Tags(model, dataset, "success"));
            this.logger.CanaryEvaluated(model.Name, model.Version, dataset, data.Rows, accuracy, loss);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the host is stopping
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // a failed run leaves no accuracy or loss behind, so the gauges never show a stale figure
            this.Forget(model, dataset);
            this.runs.Add(1, Tags(model, dataset, "failure"));
            this.logger.CanaryFailed(model.Name, model.Version, dataset, exception.Message, exception);
        }
        finally
        {
            model.Release();
        }
    }

    /// <summary>Runs the dataset in batches; returns accuracy and cross-entropy, or NaN and the mean squared error for regression.</summary>
    private static (double Accuracy, double Loss) Score(LoadedModel model, LabelledDataset data, CancellationToken cancellationToken)
    {
        TensorSpec input = model.Inputs[0];
        if (model.Inputs.Count != 1 || data.FeaturesPerRow != input.RowSize)
        {
            throw new InvalidOperationException(
                $"dataset rows have {data.FeaturesPerRow} values but input '{input.Name}' takes {input.RowSize} per row");
        }

        ClassificationEvaluator? classification = model.Task == ModelTask.Classification ? new ClassificationEvaluator(model.ClassCount) : null;
        RegressionEvaluator? regression = classification is null ? new RegressionEvaluator() : null;
        float scale = model.Settings.Input.Scale;
        float offset = model.Settings.Input.Offset;
        for (int first = 0; first < data.Rows; first += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(BatchSize, data.Rows - first);
            float[] buffer = new float[rows * data.FeaturesPerRow];
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = (data.Features[(first * data.FeaturesPerRow) + i] * scale) + offset;
            }

            long[] shape = input.Dimensions.Select(dimension => dimension < 0 ? 1 : dimension).ToArray();
            shape[0] = rows;
            using IDisposableReadOnlyCollection<OrtValue> outputs = model.Run([buffer], [shape]);
            ReadOnlySpan<float> values = outputs[0].GetTensorDataAsSpan<float>();
            int perRow = values.Length / rows;
            for (int row = 0; row < rows; row++)
            {
                if (classification is not null)
                {
                    int label = data.ClassLabels![first + row];
                    if (label < 0 || label >= model.ClassCount)
                    {
                        throw new InvalidDataException($"row {first + row} has label {label}, but the model has classes 0 to {model.ClassCount - 1}");
                    }

                    classification.Add(label, values.Slice(row * perRow, perRow));
                }
                else
                {
                    regression!.Add(data.TargetValues![first + row], values[row * perRow]);
                }
            }
        }

        return classification is not null
            ? (classification.Accuracy, classification.CrossEntropy)
            : (double.NaN, regression!.MeanSquaredError);
    }

    private void Store(LoadedModel model, string dataset, CanaryResult result)
    {
        lock (this.gate)
        {
            this.results[(model.Name, model.VersionLabel, dataset)] = result;
        }
    }

    private void Forget(LoadedModel model, string dataset)
    {
        lock (this.gate)
        {
            this.results.Remove((model.Name, model.VersionLabel, dataset));
        }
    }

    private void DropResultsOfUnloadedVersions(LoadedModel[] ready)
    {
        HashSet<(string, string)> served = ready.Select(model => (model.Name, model.VersionLabel)).ToHashSet();
        lock (this.gate)
        {
            foreach ((string Model, string Version, string Dataset) key in this.results.Keys.Where(key => !served.Contains((key.Model, key.Version))).ToArray())
            {
                this.results.Remove(key);
            }
        }
    }

    private List<Measurement<double>> Observe(Func<CanaryResult, double> value)
    {
        List<Measurement<double>> measurements = [];
        lock (this.gate)
        {
            foreach (((string model, string version, string dataset), CanaryResult result) in this.results)
            {
                double measured = value(result);
                if (!double.IsNaN(measured))
                {
                    measurements.Add(new Measurement<double>(measured, new("model", model), new("version", version), new("dataset", dataset)));
                }
            }
        }

        return measurements;
    }

    private static TagList Tags(LoadedModel model, string dataset, string outcome) => new()
    {
        { "model", model.Name }, { "version", model.VersionLabel }, { "dataset", dataset }, { "outcome", outcome },
    };

    private sealed record CanaryResult(double Accuracy, double Loss, double Seconds);
}
