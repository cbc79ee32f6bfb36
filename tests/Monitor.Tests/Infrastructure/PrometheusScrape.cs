using System.Globalization;
using System.Text.RegularExpressions;

namespace Monitor.Tests.Infrastructure;

/// <summary>Samples of one Prometheus text-format scrape, with a lookup by name and labels.</summary>
public sealed partial class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlyList<Sample> samples, IReadOnlyDictionary<string, string> types)
    {
        this.Text = text;
        this.Samples = samples;
        this.Types = types;
    }

    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Gets the metric family types from the <c># TYPE</c> lines.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public static PrometheusScrape Parse(string text)
    {
        List<Sample> samples = [];
        Dictionary<string, string> types = [];
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            Match match = SampleLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            Dictionary<string, string> labels = [];
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["key"].Value] = label.Groups["value"].Value;
            }

            double value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                string number => double.Parse(number, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return new PrometheusScrape(text, samples, types);
    }

    /// <summary>Sums the samples of a series name whose labels include every given pair.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        this.Samples
            .Where(sample => sample.Name == name && labels.All(label => sample.Labels.TryGetValue(label.Key, out string? value) && value == label.Value))
            .Sum(sample => sample.Value);

    public bool Has(string name) => this.Samples.Any(sample => sample.Name == name);

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>.*)\\})? (?<value>\\S+)( \\S+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>(\\\\.|[^\"\\\\])*)\"")]
    private static partial Regex LabelPair();
}

public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
