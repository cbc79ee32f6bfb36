using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Demo;
using Monitor.Gpu;
using Monitor.Quality;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

public sealed partial class MetricsReferenceTests
{
    [Fact]
    public async Task DocumentedMetricsMatchScrape()
    {
        Dictionary<string, string> documented = ReadDocumentedMetrics(out HashSet<string> nvmlOnly);
        ReferenceProfileBuilder reference = new(["setosa", "versicolor", "virginica"]);
        reference.Add(0, 0.99f, 0);
        reference.Add(1, 0.80f, 1);
        reference.Add(2, 0.90f, 1);
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository =>
            {
                DemoModelBuilder.Build(repository.Root);
                repository.AddFixture("iris", Fixtures.IrisMlp, settingsJson: """{ "classNames": ["setosa", "versicolor", "virginica"] }""");
                File.WriteAllText(Path.Combine(repository.Root, "iris", ModelQuality.ReferenceFileName), reference.Build().ToJson());
                repository.AddFile("linear", TestModels.Linear());
                repository.AddFile("flaky", TestModels.FailsOnLargeValues());
                repository.AddFile("broken", "not a model"u8.ToArray());
            },
            new Dictionary<string, string?> { ["Monitor:CircuitBreaker:MinimumThroughput"] = "2" });

        await DriveEveryMetricAsync(daemon);
        PrometheusScrape scrape = await daemon.ScrapeUntilAsync(scrape => scrape.Has("monitor_canary_accuracy"));

        Dictionary<string, string> served = scrape.Types
            .Where(type => type.Key.StartsWith("monitor_", StringComparison.Ordinal))
            .ToDictionary(type => type.Key, type => type.Value);
        bool hasNvml = daemon.Services.GetRequiredService<GpuMetrics>().UnavailableReason is null;
        foreach ((string name, string type) in documented)
        {
            if (nvmlOnly.Contains(name) && !hasNvml)
            {
                Assert.False(served.ContainsKey(name), $"{name} is served although NVML is not loaded.");
                continue;
            }

            Assert.True(served.ContainsKey(name), $"docs/metrics.md lists {name} but /metrics does not serve it.");
            Assert.Equal(type, served[name]);
        }

        foreach (string name in served.Keys)
        {
            Assert.True(documented.ContainsKey(name), $"/metrics serves {name} but docs/metrics.md does not list it.");
        }
    }

    private static async Task DriveEveryMetricAsync(MonitorDaemon daemon)
    {
        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync("/v2/models/iris/infer",
            """{"inputs":[{"name":"keras_tensor","shape":[2,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3]}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        string[] ids = body.GetProperty("parameters").GetProperty("prediction_ids").EnumerateArray().Select(id => id.GetString()!).ToArray();
        await daemon.PostAsync("/v2/models/iris/feedback", $$"""[{"id":"{{ids[0]}}","label":"setosa"},{"id":"{{ids[1]}}","label":1},{"id":"forged","label":1}]""");

        (_, JsonElement linear) = await daemon.PostAsync("/v2/models/linear/infer", """{"inputs":[{"name":"x","shape":[1,1],"datatype":"FP32","data":[2]}]}""");
        string linearId = linear.GetProperty("parameters").GetProperty("prediction_ids")[0].GetString()!;
        await daemon.PostAsync("/v2/models/linear/feedback", $$"""{"id":"{{linearId}}","label":4.5}""");

        for (int i = 0; i < 3; i++)
        {
            await daemon.PostAsync("/v2/models/flaky/infer", """{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[9,9,9,9]}]}""");
        }
    }

    /// <summary>Reads the name and type of every metric row of docs/metrics.md.</summary>
    private static Dictionary<string, string> ReadDocumentedMetrics(out HashSet<string> nvmlOnly)
    {
        Dictionary<string, string> metrics = [];
        nvmlOnly = [];
        foreach (string line in File.ReadLines(Path.Combine(Fixtures.RepositoryRoot, "docs", "metrics.md")))
        {
            Match row = MetricRow().Match(line);
            if (!row.Success)
            {
                continue;
            }

            string name = row.Groups["name"].Value;
            metrics[name] = row.Groups["type"].Value;
            if (line.Contains("absent without an NVIDIA driver", StringComparison.Ordinal))
            {
                nvmlOnly.Add(name);
            }
        }

        Assert.NotEmpty(metrics);
        return metrics;
    }

    [GeneratedRegex(@"^\| `(?<name>monitor_[a-z_]+)` \| (?<type>counter|gauge|histogram) \|")]
    private static partial Regex MetricRow();
}
