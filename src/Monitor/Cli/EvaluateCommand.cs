using System.CommandLine;
using System.Text.Json;
using Monitor.Quality;
using Monitor.Repository;

namespace Monitor.Cli;

/// <summary><c>monitor evaluate</c>: accuracy, loss and a confusion matrix of a model on a labelled dataset.</summary>
internal static class EvaluateCommand
{
    public const string DefaultProfileFileName = "reference.json";

    private const int DefaultBatchSize = 256;

    public static Command Create()
    {
        Argument<string> model = new("model") { Description = "An .onnx file or a model folder (<repository>/<model>); a model folder's monitor.json supplies class names and input scale." };
        Argument<string> dataset = new("dataset") { Description = "Labelled dataset: CSV, IDX (MNIST, with its labels file beside it) or .npy, optionally gzip-compressed." };
        Option<string?> labelColumn = new("--label-column") { HelpName = "NAME", Description = "CSV label column: a header name or a zero-based index. Default: the last column." };
        Option<string?> labels = new("--labels") { HelpName = "PATH", Description = "Labels file of an IDX or .npy dataset. Default: the *-labels.idx1-ubyte file beside an IDX images file." };
        Option<int?> limit = new("--limit") { HelpName = "N", Description = "Evaluate only the first N rows." };
        Option<int> batchSize = new("--batch-size") { HelpName = "N", Description = "Rows per ONNX Runtime run.", DefaultValueFactory = _ => DefaultBatchSize };
        Option<float?> scale = new("--scale") { HelpName = "FACTOR", Description = "Factor applied to every input value, such as 0.00392156862745098 for pixels / 255. Default: input.scale from monitor.json, else 1." };
        Option<string?> writeProfile = new("--write-profile")
        {
            Description = "Write the reference profile the daemon compares live traffic with, to PATH or to reference.json in the model folder. Put this option last or give PATH.",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "PATH",
        };
        Option<bool> json = new("--json") { Description = "Write the results as JSON." };

        Command command = new("evaluate", "Run a labelled dataset through a model on the CPU and report accuracy, per-class precision and recall, loss (categorical cross-entropy as Keras evaluate computes it, or MSE for regression), the confusion matrix and throughput.")
        {
            model, dataset, labelColumn, labels, limit, batchSize, scale, writeProfile, json,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync("evaluate", async () =>
        {
            EvaluateRequest request = new(
                result.GetValue(model)!,
                result.GetValue(dataset)!,
                result.GetValue(labelColumn),
                result.GetValue(labels),
                result.GetValue(limit),
                result.GetValue(batchSize),
                result.GetValue(scale),
                result.GetResult(writeProfile) is not null,
                result.GetValue(writeProfile));
            EvaluationResult evaluation = Evaluate(request, cancellationToken);
            string output = result.GetValue(json)
                ? JsonSerializer.Serialize(evaluation, CliJson.Options)
                : EvaluationText.Format(evaluation);
            await Console.Out.WriteLineAsync(output.AsMemory(), cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static EvaluationResult Evaluate(EvaluateRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        ModelLocation location = ModelLocation.Resolve(request.ModelPath);
        ModelSettings settings = location.LoadSettings();
        InputPreprocessing preprocessing = new() { Scale = request.Scale ?? settings.Input.Scale, Offset = settings.Input.Offset };

        using ModelEvaluator evaluator = ModelEvaluator.Open(location, settings);
        LabelledDataset data = DatasetReader.Read(request.DatasetPath, new DatasetReadOptions
        {
            LabelColumn = request.LabelColumn,
            LabelsPath = request.LabelsPath,
            Limit = request.Limit,
            RequireLabels = true,
        });
        IReadOnlyList<string> classNames = CheckFit(location, settings, evaluator, data);

        ReferenceProfileBuilder? profile = null;
        string? profilePath = null;
        if (request.WriteProfile)
        {
            if (evaluator.Task != ModelTask.Classification)
            {
                throw CommandException.Usage("--write-profile needs a classification model; reference profiles hold class shares and confidences.");
            }

            profile = new ReferenceProfileBuilder(classNames);
            profilePath = Path.GetFullPath(request.ProfilePath ?? Path.Combine(location.ModelDirectory, DefaultProfileFileName));
        }

        ProgressLine progress = new("evaluating", "rows");
        EvaluationRun run = evaluator.Run(data, preprocessing, request.BatchSize, profile, done => progress.Report(done, data.Rows), cancellationToken);
        progress.Complete();

        if (profile is not null)
        {
            profile.Build().Save(profilePath!);
        }

        return EvaluationText.ToResult(location, Path.GetFullPath(request.DatasetPath), data.Rows, run, classNames, profilePath);
    }

    /// <summary>Checks that the dataset fits the model and returns the class names to report.</summary>
    private static IReadOnlyList<string> CheckFit(ModelLocation location, ModelSettings settings, ModelEvaluator evaluator, LabelledDataset data)
    {
        if (data.FeaturesPerRow != evaluator.RowSize)
        {
            throw CommandException.Usage(
                $"Dataset rows have {data.FeaturesPerRow} values (shape [{string.Join(", ", data.RowShape)}]) but model '{location.Name}' takes {evaluator.RowSize} per row; check the dataset and model pair.");
        }

        if (data.Rows == 0)
        {
            throw CommandException.Usage("The dataset has no rows.");
        }

        if (evaluator.Task != ModelTask.Classification)
        {
            return [];
        }

        if (data.ClassLabels is null)
        {
            throw CommandException.Usage($"Model '{location.Name}' is a classifier but the dataset has no class labels; give --label-column or --labels.");
        }

        int badLabel = Array.Find(data.ClassLabels, label => label < 0 || label >= evaluator.ClassCount);
        if (badLabel != 0)
        {
            throw CommandException.Usage($"The dataset has class label {badLabel} but model '{location.Name}' has {evaluator.ClassCount} classes (0 to {evaluator.ClassCount - 1}).");
        }

        if (settings.ClassNames is { } names)
        {
            if (names.Count != evaluator.ClassCount)
            {
                throw CommandException.Usage($"monitor.json lists {names.Count} class names but model '{location.Name}' has {evaluator.ClassCount} classes.");
            }

            return names;
        }

        return data.ClassNames is { } datasetNames && datasetNames.Length == evaluator.ClassCount
            ? datasetNames
            : ModelInspector.ClassNamesOf(settings, evaluator.ClassCount);
    }

    private sealed record EvaluateRequest(
        string ModelPath,
        string DatasetPath,
        string? LabelColumn,
        string? LabelsPath,
        int? Limit,
        int BatchSize,
        float? Scale,
        bool WriteProfile,
        string? ProfilePath)
    {
        public void Validate()
        {
            if (this.Limit is < 1)
            {
                throw CommandException.Usage($"--limit is {this.Limit}; give a positive number of rows.");
            }

            if (this.BatchSize < 1)
            {
                throw CommandException.Usage($"--batch-size is {this.BatchSize}; give a positive number of rows.");
            }

            if (this.Scale is { } scale && !float.IsFinite(scale))
            {
                throw CommandException.Usage($"--scale is {scale}; give a finite number.");
            }
        }
    }
}
