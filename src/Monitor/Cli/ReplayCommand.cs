using System.CommandLine;
using System.Text.Json;
using Monitor.Quality;

namespace Monitor.Cli;

/// <summary><c>monitor replay</c>: labelled traffic against a running daemon, with feedback and optional drift.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        Argument<string> dataset = new("dataset") { Description = "Labelled dataset: CSV, IDX (MNIST, with its labels file beside it) or .npy, optionally gzip-compressed." };
        Option<string> url = new("--url") { HelpName = "URL", Description = "The daemon's inference API.", DefaultValueFactory = _ => "http://127.0.0.1:8000" };
        Option<string> model = new("--model", "-m") { HelpName = "NAME", Description = "Name of the served model.", Required = true };
        Option<double> rate = new("--rate") { HelpName = "ROWS_PER_SECOND", Description = "Rows per second to send.", DefaultValueFactory = _ => 20 };
        Option<int?> count = new("--count") { HelpName = "N", Description = "Rows to send; the dataset repeats when it is shorter. Default: every row once." };
        Option<int> batch = new("--batch") { HelpName = "N", Description = "Rows per inference request.", DefaultValueFactory = _ => 1 };
        Option<double> feedbackDelay = new("--feedback-delay") { HelpName = "SECONDS", Description = "Seconds between a prediction and sending its true label as feedback.", DefaultValueFactory = _ => 0 };
        Option<string> drift = new("--drift")
        {
            HelpName = "none|invert|subset",
            Description = "Change to the rows: none; invert (x becomes max - x); subset (only rows of the first half of the classes).",
            DefaultValueFactory = _ => "none",
        };
        drift.AcceptOnlyFromAmong("none", "invert", "subset");
        Option<double> duration = new("--duration") { HelpName = "SECONDS", Description = "Maximum run time in seconds, feedback included; the run stops then even if rows or feedback remain.", DefaultValueFactory = _ => 300 };
        Option<string?> labelColumn = new("--label-column") { HelpName = "NAME", Description = "CSV label column: a header name or a zero-based index. Default: the last column." };
        Option<string?> labels = new("--labels") { HelpName = "PATH", Description = "Labels file of an IDX or .npy dataset. Default: the *-labels.idx1-ubyte file beside an IDX images file." };
        Option<bool> json = new("--json") { Description = "Write the summary as JSON." };

        Command command = new("replay", "Send dataset rows to a running daemon as Open Inference Protocol requests at a steady rate, send each row's true label to the feedback endpoint after a delay, and print a summary with the accuracy the daemon scored. Exit code 1 when no request succeeded.")
        {
            dataset, url, model, rate, count, batch, feedbackDelay, drift, duration, labelColumn, labels, json,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync("replay", async () =>
        {
            ReplaySettings settings = ReplaySettings.Create(
                result.GetValue(url)!,
                result.GetValue(model)!,
                result.GetValue(rate),
                result.GetValue(count),
                result.GetValue(batch),
                result.GetValue(feedbackDelay),
                Enum.Parse<ReplayDrift>(result.GetValue(drift)!, ignoreCase: true),
                result.GetValue(duration));
            LabelledDataset data = DatasetReader.Read(result.GetValue(dataset)!, new DatasetReadOptions
            {
                LabelColumn = result.GetValue(labelColumn),
                LabelsPath = result.GetValue(labels),
                RequireLabels = true,
            });

            ReplaySummary summary = await ReplayRunner.RunAsync(settings, data, cancellationToken);
            string output = result.GetValue(json) ? JsonSerializer.Serialize(summary, CliJson.Options) : summary.Format();
            await Console.Out.WriteLineAsync(output.AsMemory(), cancellationToken);
            if (summary.Ok == 0)
            {
                throw CommandException.Failure($"no request succeeded; first error: {summary.FirstError ?? "none"}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
