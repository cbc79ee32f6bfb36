namespace Monitor.Cli;

/// <summary>The validated command-line values of <c>monitor replay</c>.</summary>
internal sealed record ReplaySettings(
    Uri Url,
    string Model,
    double Rate,
    int? Count,
    int Batch,
    TimeSpan FeedbackDelay,
    ReplayDrift Drift,
    TimeSpan Duration)
{
    /// <exception cref="CommandException">A value is out of range (exit code 2).</exception>
    public static ReplaySettings Create(string url, string model, double rate, int? count, int batch, double feedbackDelaySeconds, ReplayDrift drift, double durationSeconds)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CommandException.Usage($"--url '{url}' is not an http:// or https:// URL; give the daemon's inference address such as http://127.0.0.1:8000.");
        }

        if (!(rate > 0) || !double.IsFinite(rate))
        {
            throw CommandException.Usage($"--rate is {rate}; give a positive number of rows per second.");
        }

        if (count is < 1)
        {
            throw CommandException.Usage($"--count is {count}; give a positive number of rows.");
        }

        if (batch < 1)
        {
            throw CommandException.Usage($"--batch is {batch}; give a positive number of rows per request.");
        }

        if (!(feedbackDelaySeconds >= 0) || !double.IsFinite(feedbackDelaySeconds))
        {
            throw CommandException.Usage($"--feedback-delay is {feedbackDelaySeconds}; give seconds, 0 or more.");
        }

        if (!(durationSeconds > 0) || !double.IsFinite(durationSeconds))
        {
            throw CommandException.Usage($"--duration is {durationSeconds}; give a positive number of seconds.");
        }

        return new ReplaySettings(
            new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"),
            model,
            rate,
            count,
            batch,
            TimeSpan.FromSeconds(feedbackDelaySeconds),
            drift,
            TimeSpan.FromSeconds(durationSeconds));
    }
}
