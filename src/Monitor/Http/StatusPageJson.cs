using System.Globalization;
using System.Text.Json;
using Monitor.Inference;
using Monitor.Repository;

namespace Monitor.Http;

/// <summary>Writes the <c>GET /v2/status</c> body: the served models and their recent samples.</summary>
internal sealed class StatusPageJson
{
    /// <summary>Intervals that the rolling accuracy spans: 30 of 2 s, so one minute.</summary>
    private const int AccuracyWindow = 30;

    private readonly StatusPageSampler sampler;
    private readonly ModelRegistry registry;
    private readonly TimeProvider timeProvider;

    public StatusPageJson(StatusPageSampler sampler, ModelRegistry registry, TimeProvider timeProvider)
    {
        this.sampler = sampler;
        this.registry = registry;
        this.timeProvider = timeProvider;
    }

    public void Write(Utf8JsonWriter writer)
    {
        DateTimeOffset now = this.timeProvider.GetUtcNow();
        writer.WriteStartObject();
        writer.WriteString("time", now);
        writer.WriteBoolean("ready", this.registry.IsReady);
        writer.WriteNumber("uptime_seconds", Math.Round((now - this.sampler.Started).TotalSeconds, 1));
        writer.WriteNumber("interval_seconds", StatusPageSampler.Interval.TotalSeconds);
        writer.WriteNumber("accuracy_window_seconds", AccuracyWindow * StatusPageSampler.Interval.TotalSeconds);
        writer.WriteStartArray("models");
        foreach (ServedModel model in this.registry.Models)
        {
            this.WriteModel(writer, model);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void WriteModel(Utf8JsonWriter writer, ServedModel model)
    {
        LoadedModel? latest = model.Latest;
        IReadOnlyList<StatusPageSample> samples = this.sampler.GetSamples(model.Name);

        writer.WriteStartObject();
        writer.WriteString("name", model.Name);
        writer.WriteBoolean("ready", latest is not null);
        if (latest is not null)
        {
            writer.WriteString("task", latest.Task.ToString().ToLowerInvariant());
            writer.WriteString("provider", latest.Provider);
        }

        WriteVersions(writer, model);
        WriteSamples(writer, samples);
        WriteClassShares(writer, latest, samples);
        WriteTotals(writer, samples);
        writer.WriteEndObject();
    }

    private static void WriteVersions(Utf8JsonWriter writer, ServedModel model)
    {
        Dictionary<long, LoadedModel> ready = model.ReadyVersions.ToDictionary(loaded => loaded.Version);
        writer.WriteStartArray("versions");
        foreach (VersionStatus status in model.States)
        {
            writer.WriteStartObject();
            writer.WriteString("version", status.Version.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("state", status.State.ToString().ToUpperInvariant());
            if (ready.TryGetValue(status.Version, out LoadedModel? loaded))
            {
                writer.WriteString("provider", loaded.Provider);
            }

            if (status.Error is not null)
            {
                writer.WriteString("error", status.Error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteSamples(Utf8JsonWriter writer, IReadOnlyList<StatusPageSample> samples)
    {
        double seconds = StatusPageSampler.Interval.TotalSeconds;
        long windowCorrect = 0;
        long windowScored = 0;
        writer.WriteStartArray("samples");
        for (int i = 0; i < samples.Count; i++)
        {
            StatusPageSample sample = samples[i];
            windowCorrect += sample.FeedbackCorrect;
            windowScored += sample.FeedbackCorrect + sample.FeedbackIncorrect;
            if (i >= AccuracyWindow)
            {
                StatusPageSample leaving = samples[i - AccuracyWindow];
                windowCorrect -= leaving.FeedbackCorrect;
                windowScored -= leaving.FeedbackCorrect + leaving.FeedbackIncorrect;
            }

            writer.WriteStartObject();
            writer.WriteNumber("time", sample.Time.ToUnixTimeMilliseconds());
            writer.WriteNumber("requests_per_second", sample.Requests / seconds);
            writer.WriteNumber("errors_per_second", sample.Errors / seconds);
            WriteNullable(writer, "latency_p50_seconds", sample.LatencyP50);
            WriteNullable(writer, "latency_p90_seconds", sample.LatencyP90);
            WriteNullable(writer, "latency_p99_seconds", sample.LatencyP99);
            WriteNullable(writer, "accuracy", windowScored == 0 ? null : (double)windowCorrect / windowScored);
            writer.WriteNumber("feedback", sample.FeedbackCorrect + sample.FeedbackIncorrect);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes the share of each predicted class over the kept samples, and the reference profile's shares when loaded.</summary>
    private static void WriteClassShares(Utf8JsonWriter writer, LoadedModel? latest, IReadOnlyList<StatusPageSample> samples)
    {
        Dictionary<string, long> counts = new(StringComparer.Ordinal);
        foreach (string name in latest?.ClassNames ?? [])
        {
            counts[name] = 0;
        }

        foreach (StatusPageSample sample in samples)
        {
            foreach ((string label, long count) in sample.Predictions)
            {
                counts[label] = counts.GetValueOrDefault(label) + count;
            }
        }

        long total = counts.Values.Sum();
        writer.WriteStartObject("class_share");
        foreach ((string label, long count) in counts)
        {
            writer.WriteNumber(label, total == 0 ? 0 : (double)count / total);
        }

        writer.WriteEndObject();

        if (latest?.Quality?.Reference is { } reference)
        {
            writer.WriteStartObject("reference_class_share");
            for (int i = 0; i < reference.ClassNames.Length; i++)
            {
                writer.WriteNumber(reference.ClassNames[i], reference.ClassShares[i]);
            }

            writer.WriteEndObject();
        }
    }

    private static void WriteTotals(Utf8JsonWriter writer, IReadOnlyList<StatusPageSample> samples)
    {
        long correct = samples.Sum(sample => sample.FeedbackCorrect);
        long scored = correct + samples.Sum(sample => sample.FeedbackIncorrect);
        writer.WriteStartObject("window_totals");
        writer.WriteNumber("requests", samples.Sum(sample => sample.Requests));
        writer.WriteNumber("errors", samples.Sum(sample => sample.Errors));
        writer.WriteNumber("predictions", samples.Sum(sample => sample.Predictions.Values.Sum()));
        writer.WriteNumber("feedback", scored);
        WriteNullable(writer, "accuracy", scored == 0 ? null : (double)correct / scored);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
