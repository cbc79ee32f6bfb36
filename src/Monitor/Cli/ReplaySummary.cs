using System.Globalization;
using System.Text;

namespace Monitor.Cli;

/// <summary>The counts of one replay run.</summary>
/// <param name="Sent">Rows sent in inference requests.</param>
/// <param name="Ok">Rows whose request succeeded.</param>
/// <param name="Errors">Rows whose request failed or timed out.</param>
/// <param name="FeedbackSent">Feedback items sent.</param>
/// <param name="FeedbackScored">Feedback items the daemon scored.</param>
/// <param name="FeedbackRejected">Feedback items the daemon rejected (for example as duplicates) or whose request failed.</param>
/// <param name="FeedbackCorrect">Scored items whose prediction was correct.</param>
/// <param name="FeedbackPending">Feedback items not sent because the run ended first.</param>
/// <param name="Accuracy">Correct over scored feedback, or null when none was scored.</param>
/// <param name="Seconds">Run time, the wait for the last feedback included.</param>
/// <param name="RowsPerSecond">Rows sent per second while requests were being sent.</param>
/// <param name="FirstError">The first failure message, or null.</param>
internal sealed record ReplaySummary(
    string Model,
    string Url,
    string Drift,
    long Sent,
    long Ok,
    long Errors,
    long FeedbackSent,
    long FeedbackScored,
    long FeedbackRejected,
    long FeedbackCorrect,
    long FeedbackPending,
    double? Accuracy,
    double Seconds,
    double RowsPerSecond,
    string? FirstError)
{
    public string Format()
    {
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"Replayed to {this.Model} at {this.Url} (drift: {this.Drift}) for {this.Seconds:0.0} s, sending {this.RowsPerSecond:0.#} rows/s\n\n");
        text.Append(CultureInfo.InvariantCulture, $"  sent       {this.Sent:N0} rows\n");
        text.Append(CultureInfo.InvariantCulture, $"  ok         {this.Ok:N0}\n");
        text.Append(CultureInfo.InvariantCulture, $"  errors     {this.Errors:N0}\n");
        text.Append(CultureInfo.InvariantCulture, $"  feedback   {this.FeedbackSent:N0} sent, {this.FeedbackScored:N0} scored, {this.FeedbackRejected:N0} rejected, {this.FeedbackPending:N0} not sent\n");
        string accuracy = this.Accuracy is { } value
            ? string.Create(CultureInfo.InvariantCulture, $"{value:0.0000} ({this.FeedbackCorrect:N0}/{this.FeedbackScored:N0} scored feedback)")
            : "n/a (no feedback scored)";
        text.Append(CultureInfo.InvariantCulture, $"  accuracy   {accuracy}\n");
        if (this.FirstError is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  first error: {this.FirstError}\n");
        }

        return text.ToString().TrimEnd('\n');
    }
}
