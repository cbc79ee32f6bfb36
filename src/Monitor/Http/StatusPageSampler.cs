using System.Diagnostics.Metrics;
using Monitor.Repository;
using Monitor.Telemetry;

namespace Monitor.Http;

/// <summary>
/// Keeps the last few minutes of each model's request rate, latency, feedback and predicted classes for the status
/// page. Reads the daemon's own instruments through a <see cref="MeterListener"/> on this daemon's <c>Monitor</c>
/// meter, and closes an interval every <see cref="Interval"/>. Must be disposed to stop listening.
/// </summary>
internal sealed class StatusPageSampler : IDisposable
{
    /// <summary>Length of one sampling interval.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Intervals kept per model: 150 of 2 s, so 5 minutes.</summary>
    public const int Capacity = 150;

    /// <summary>Request durations kept per model and interval for the quantiles; beyond this a uniform reservoir sample is kept.</summary>
    private const int MaxDurationsPerInterval = 4096;

    private const string RequestDuration = "monitor.inference.request.duration";
    private const string Feedback = "monitor.feedback";
    private const string Predictions = "monitor.predictions";

    private readonly object gate = new();
    private readonly Dictionary<string, IntervalCounts> current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<StatusPageSample>> history = new(StringComparer.Ordinal);
    private readonly Meter meter;
    private readonly ModelRegistry registry;
    private readonly TimeProvider timeProvider;
    private readonly MeterListener listener;
    private readonly ITimer timer;

    public StatusPageSampler(MonitorMetrics metrics, ModelRegistry registry, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(metrics);

        this.meter = metrics.Meter;
        this.registry = registry;
        this.timeProvider = timeProvider;
        this.listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // the meter instance, not its name: tests run several daemons in one process
                if (ReferenceEquals(instrument.Meter, this.meter) && instrument.Name is RequestDuration or Feedback or Predictions)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        this.listener.SetMeasurementEventCallback<long>(this.OnLong);
        this.listener.SetMeasurementEventCallback<double>(this.OnDouble);
        this.listener.Start();
        this.timer = timeProvider.CreateTimer(_ => this.CloseInterval(), null, Interval, Interval);
        this.Started = timeProvider.GetUtcNow();
    }

    public DateTimeOffset Started { get; }

    /// <summary>Copies the closed intervals of a model, oldest first.</summary>
    public IReadOnlyList<StatusPageSample> GetSamples(string model)
    {
        lock (this.gate)
        {
            return this.history.TryGetValue(model, out Queue<StatusPageSample>? samples) ? [.. samples] : [];
        }
    }

    public void Dispose()
    {
        this.timer.Dispose();
        this.listener.Dispose();
    }

    /// <summary>Closes the current interval of every model, including served models without traffic.</summary>
    internal void CloseInterval()
    {
        DateTimeOffset now = this.timeProvider.GetUtcNow();
        lock (this.gate)
        {
            foreach (ServedModel model in this.registry.Models)
            {
                _ = this.CountsOf(model.Name);
            }

            foreach ((string model, IntervalCounts counts) in this.current)
            {
                if (!this.history.TryGetValue(model, out Queue<StatusPageSample>? samples))
                {
                    samples = new Queue<StatusPageSample>(Capacity);
                    this.history[model] = samples;
                }

                if (samples.Count == Capacity)
                {
                    samples.Dequeue();
                }

                samples.Enqueue(counts.ToSample(now));
                counts.Reset();
            }
        }
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? model = TagValue(tags, "model");
        if (model is null)
        {
            return;
        }

        lock (this.gate)
        {
            IntervalCounts counts = this.CountsOf(model);
            if (instrument.Name == Feedback)
            {
                string? outcome = TagValue(tags, "outcome");
                if (outcome == "correct")
                {
                    counts.FeedbackCorrect += value;
                }
                else if (outcome == "incorrect")
                {
                    counts.FeedbackIncorrect += value;
                }
            }
            else if (instrument.Name == Predictions && TagValue(tags, "class") is { } label)
            {
                counts.Predictions[label] = counts.Predictions.GetValueOrDefault(label) + value;
            }
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name != RequestDuration || TagValue(tags, "model") is not { } model)
        {
            return;
        }

        bool success = TagValue(tags, "outcome") == Outcomes.Success;
        lock (this.gate)
        {
            this.CountsOf(model).AddRequest(value, success);
        }
    }

    private IntervalCounts CountsOf(string model)
    {
        if (!this.current.TryGetValue(model, out IntervalCounts? counts))
        {
            counts = new IntervalCounts();
            this.current[model] = counts;
        }

        return counts;
    }

    private static string? TagValue(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    /// <summary>The counts of the open interval of one model.</summary>
    private sealed class IntervalCounts
    {
        private readonly List<double> durations = [];

        public long Requests { get; private set; }

        public long Errors { get; private set; }

        public long FeedbackCorrect { get; set; }

        public long FeedbackIncorrect { get; set; }

        public Dictionary<string, long> Predictions { get; } = new(StringComparer.Ordinal);

        public void AddRequest(double seconds, bool success)
        {
            this.Requests++;
            if (!success)
            {
                this.Errors++;
            }

            if (this.durations.Count < MaxDurationsPerInterval)
            {
                this.durations.Add(seconds);
                return;
            }

            // reservoir sampling keeps a uniform sample of every duration in the interval
            long slot = Random.Shared.NextInt64(this.Requests);
            if (slot < MaxDurationsPerInterval)
            {
                this.durations[(int)slot] = seconds;
            }
        }

        public StatusPageSample ToSample(DateTimeOffset time)
        {
            this.durations.Sort();
            return new StatusPageSample(
                time,
                this.Requests,
                this.Errors,
                Quantile(this.durations, 0.50),
                Quantile(this.durations, 0.90),
                Quantile(this.durations, 0.99),
                this.FeedbackCorrect,
                this.FeedbackIncorrect,
                new Dictionary<string, long>(this.Predictions, StringComparer.Ordinal));
        }

        public void Reset()
        {
            this.durations.Clear();
            this.Requests = 0;
            this.Errors = 0;
            this.FeedbackCorrect = 0;
            this.FeedbackIncorrect = 0;
            this.Predictions.Clear();
        }

        /// <summary>Returns the nearest-rank quantile of sorted values, or null when there are none.</summary>
        private static double? Quantile(List<double> sorted, double quantile)
        {
            if (sorted.Count == 0)
            {
                return null;
            }

            int rank = (int)Math.Ceiling(quantile * sorted.Count);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
        }
    }
}
