using System.Diagnostics;
using Monitor.Quality;

namespace Monitor.Cli;

/// <summary>
/// Sends dataset rows to a running daemon at a steady rate and sends their true labels as feedback after a delay.
/// The run ends after <see cref="ReplaySettings.Count"/> rows or <see cref="ReplaySettings.Duration"/>, whichever
/// comes first. Feedback that falls due after the duration is not sent.
/// </summary>
internal sealed class ReplayRunner
{
    /// <summary>Feedback items per request, below the daemon's default Monitor:Quality:MaxFeedbackItems of 1000.</summary>
    private const int FeedbackChunk = 200;

    private readonly ReplaySettings settings;
    private readonly ReplayClient client;
    private readonly Queue<PendingFeedback> pending = new();
    private readonly Stopwatch stopwatch = new();
    private long feedbackSent;
    private long feedbackScored;
    private long feedbackRejected;
    private long feedbackCorrect;
    private string? firstError;

    private ReplayRunner(ReplaySettings settings, ReplayClient client)
    {
        this.settings = settings;
        this.client = client;
    }

    public static async Task<ReplaySummary> RunAsync(ReplaySettings settings, LabelledDataset data, CancellationToken cancellationToken)
    {
        using ReplayClient client = new(settings.Url, settings.Model);
        ReplayRunner runner = new(settings, client);
        return await runner.RunAsync(data, cancellationToken);
    }

    private async Task<ReplaySummary> RunAsync(LabelledDataset data, CancellationToken cancellationToken)
    {
        ServedSignature signature = await this.client.GetSignatureAsync(cancellationToken);
        if (signature.RowSize != data.FeaturesPerRow)
        {
            string modelRow = signature.RowSize is { } size ? $"{size} values per row" : "a symbolic row shape";
            throw CommandException.Usage(
                $"Dataset rows have {data.FeaturesPerRow} values but model '{this.settings.Model}' takes {modelRow} (shape [{string.Join(", ", signature.Shape)}]); check the dataset and model pair.");
        }

        ReplayRows rows = ReplayRows.Create(data, this.settings.Drift, signature.Classes);
        int count = this.settings.Count ?? rows.Count;
        float[] buffer = new float[this.settings.Batch * data.FeaturesPerRow];
        int[] labels = new int[this.settings.Batch];
        long sent = 0;
        long ok = 0;
        long errors = 0;
        ProgressLine progress = new("replaying", "rows");

        this.stopwatch.Start();
        while (sent < count)
        {
            TimeSpan due = TimeSpan.FromSeconds(sent / this.settings.Rate);
            if (due >= this.settings.Duration)
            {
                break;
            }

            // NOTE: requests go one at a time, so a daemon slower than 1/rate per request lowers the rate sent
            TimeSpan wait = due - this.stopwatch.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            int batch = (int)Math.Min(this.settings.Batch, count - sent);
            for (int i = 0; i < batch; i++)
            {
                labels[i] = rows.CopyRow(sent + i, buffer.AsSpan(i * data.FeaturesPerRow, data.FeaturesPerRow));
            }

            InferReply reply = await this.client.InferAsync(signature, buffer.AsMemory(0, batch * data.FeaturesPerRow), batch, cancellationToken);
            sent += batch;
            if (reply.PredictionIds is { } ids)
            {
                ok += batch;
                if (ids.Length == 0)
                {
                    this.firstError ??= "The daemon returned no prediction ids, so no feedback is sent; set Monitor:Quality:PredictionIds to true.";
                }

                DateTimeOffset feedbackDue = DateTimeOffset.UtcNow + this.settings.FeedbackDelay;
                for (int i = 0; i < ids.Length && i < batch; i++)
                {
                    this.pending.Enqueue(new PendingFeedback(feedbackDue, ids[i], labels[i]));
                }
            }
            else
            {
                errors += batch;
                this.firstError ??= reply.Error;
            }

            await this.SendDueFeedbackAsync(cancellationToken);
            progress.Report(sent, count, $"{errors:N0} errors");
        }

        double sendingSeconds = this.stopwatch.Elapsed.TotalSeconds;
        await this.DrainFeedbackAsync(cancellationToken);
        progress.Complete();

        double seconds = this.stopwatch.Elapsed.TotalSeconds;
        return new ReplaySummary(
            this.settings.Model,
            this.settings.Url.ToString(),
            this.settings.Drift.ToString().ToLowerInvariant(),
            sent,
            ok,
            errors,
            this.feedbackSent,
            this.feedbackScored,
            this.feedbackRejected,
            this.feedbackCorrect,
            this.pending.Count,
            this.feedbackScored == 0 ? null : (double)this.feedbackCorrect / this.feedbackScored,
            seconds,
            sent / Math.Max(sendingSeconds, 1e-9),
            this.firstError);
    }

    /// <summary>Waits for the remaining feedback to fall due, up to the end of the run's duration, and sends it.</summary>
    private async Task DrainFeedbackAsync(CancellationToken cancellationToken)
    {
        while (this.pending.Count > 0)
        {
            TimeSpan wait = this.pending.Peek().Due - DateTimeOffset.UtcNow;
            if (this.stopwatch.Elapsed + wait > this.settings.Duration)
            {
                return;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            await this.SendDueFeedbackAsync(cancellationToken);
        }
    }

    private async Task SendDueFeedbackAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        while (this.pending.Count > 0 && this.pending.Peek().Due <= now)
        {
            List<PendingFeedback> items = [];
            while (items.Count < FeedbackChunk && this.pending.Count > 0 && this.pending.Peek().Due <= now)
            {
                items.Add(this.pending.Dequeue());
            }

            FeedbackReply reply = await this.client.SendFeedbackAsync(items, cancellationToken);
            this.feedbackSent += items.Count;
            this.feedbackScored += reply.Scored;
            this.feedbackRejected += reply.Rejected;
            this.feedbackCorrect += reply.Correct;
            this.firstError ??= reply.Error;
        }
    }
}
