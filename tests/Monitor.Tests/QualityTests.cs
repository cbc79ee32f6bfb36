using System.Net;
using System.Text;
using System.Text.Json;
using Monitor.Quality;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

public sealed class QualityTests
{
    private const float PixelScale = 1f / 255f;

    [Theory]
    [InlineData(Fixtures.MnistMlp, "flatten_input", 1f, "{}", 9804)]
    [InlineData(Fixtures.MnistCnn, "conv2d_5_input", PixelScale, """{ "input": { "scale": 0.003921568627451 } }""", 9957)]
    public async Task FeedbackAccuracyEqualsOfflineAccuracy(string fixture, string inputName, float scale, string settings, int documentedCorrect)
    {
        LabelledDataset mnist = MnistData.TestSet;
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository => repository.AddFixture("mnist", fixture, settingsJson: settings));
        (int Class, float Confidence)[] offline = MnistData.PredictInProcess(fixture, scale, 0, mnist.Rows);

        int servedCorrect = 0;
        for (int first = 0; first < mnist.Rows; first += 500)
        {
            (HttpStatusCode status, JsonElement body) = await daemon.PostAsync("/v2/models/mnist/infer", MnistData.InferRequest(inputName, first, 500));
            Assert.Equal(HttpStatusCode.OK, status);

            JsonElement data = body.GetProperty("outputs")[0].GetProperty("data");
            string[] ids = body.GetProperty("parameters").GetProperty("prediction_ids").EnumerateArray().Select(id => id.GetString()!).ToArray();
            StringBuilder feedback = new("[");
            for (int row = 0; row < 500; row++)
            {
                int served = ArgMax(data, row);
                Assert.Equal(offline[first + row].Class, served);
                servedCorrect += served == mnist.ClassLabels![first + row] ? 1 : 0;
                feedback.Append(row == 0 ? string.Empty : ",").Append($$"""{"id":"{{ids[row]}}","label":{{mnist.ClassLabels![first + row]}}}""");
            }

            (HttpStatusCode feedbackStatus, JsonElement scored) = await daemon.PostAsync("/v2/models/mnist/feedback", feedback.Append(']').ToString());
            Assert.Equal(HttpStatusCode.OK, feedbackStatus);
            Assert.Equal(500, scored.GetProperty("scored").GetInt32());
        }

        int offlineCorrect = offline.Where((prediction, row) => prediction.Class == mnist.ClassLabels![row]).Count();
        PrometheusScrape scrape = await daemon.ScrapeAsync();
        Assert.Equal(documentedCorrect, offlineCorrect);
        Assert.Equal(offlineCorrect, servedCorrect);
        Assert.Equal(offlineCorrect, scrape.Sum("monitor_feedback_total", ("model", "mnist"), ("outcome", "correct")));
        Assert.Equal(mnist.Rows, scrape.Sum("monitor_feedback_total", ("model", "mnist")));
        Assert.Equal(mnist.Rows, scrape.Sum("monitor_predictions_total", ("model", "mnist")));
        Assert.Equal(offlineCorrect, Enumerable.Range(0, 10).Sum(digit => scrape.Sum("monitor_feedback_confusion_total", ("model", "mnist"), ("actual", $"{digit}"), ("predicted", $"{digit}"))));
    }

    [Fact]
    public async Task IrisPredictMatchesDocumentedAccuracy()
    {
        LabelledDataset iris = DatasetReader.Read(Fixtures.PathOf(Fixtures.IrisCsv));
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository => repository.AddFixture("iris", Fixtures.IrisMlp));
        string instances = string.Join(",", Enumerable.Range(0, iris.Rows).Select(row => "[" + string.Join(",", iris.GetRow(row).ToArray().Select(value => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]"));

        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync("/v1/models/iris:predict", $$"""{"instances":[{{instances}}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        int correct = body.GetProperty("predictions").EnumerateArray()
            .Select((prediction, row) => prediction.EnumerateArray().Select(value => value.GetSingle()).ToList())
            .Where((scores, row) => scores.IndexOf(scores.Max()) == iris.ClassLabels![row])
            .Count();
        Assert.Equal(146, correct);
    }

    [Fact]
    public async Task ShiftedStreamDriftsAndFreshSampleDoesNot()
    {
        LabelledDataset mnist = MnistData.TestSet;
        string reference = BuildReference(0, 5000).ToJson();
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository =>
            {
                repository.AddFixture("steady", Fixtures.MnistMlp);
                repository.AddFixture("shifted", Fixtures.MnistMlp);
                File.WriteAllText(Path.Combine(repository.Root, "steady", ModelQuality.ReferenceFileName), reference);
                File.WriteAllText(Path.Combine(repository.Root, "shifted", ModelQuality.ReferenceFileName), reference);
            },
            new Dictionary<string, string?> { ["Monitor:Quality:WindowSize"] = "1000" });

        // a fresh sample of the same test set, and the digits 0 to 4 only
        for (int first = 5000; first < 6000; first += 250)
        {
            Assert.Equal(HttpStatusCode.OK, (await daemon.PostAsync("/v2/models/steady/infer", MnistData.InferRequest("flatten_input", first, 250))).Status);
        }

        int[] lowDigits = Enumerable.Range(6000, 4000).Where(row => mnist.ClassLabels![row] < 5).Take(1000).ToArray();
        foreach (int row in lowDigits)
        {
            if (row == lowDigits[0] || Array.IndexOf(lowDigits, row) % 100 == 0)
            {
                int[] chunk = lowDigits.Skip(Array.IndexOf(lowDigits, row)).Take(100).ToArray();
                string request = BuildRequest(chunk);
                Assert.Equal(HttpStatusCode.OK, (await daemon.PostAsync("/v2/models/shifted/infer", request)).Status);
            }
        }

        PrometheusScrape scrape = await daemon.ScrapeAsync();
        double steadyPsi = scrape.Sum("monitor_drift_psi", ("model", "steady"), ("feature", "predicted_class"));
        double steadyJs = scrape.Sum("monitor_drift_js_distance", ("model", "steady"), ("feature", "predicted_class"));
        double shiftedPsi = scrape.Sum("monitor_drift_psi", ("model", "shifted"), ("feature", "predicted_class"));
        double shiftedJs = scrape.Sum("monitor_drift_js_distance", ("model", "shifted"), ("feature", "predicted_class"));
        Assert.True(steadyPsi < DriftThresholds.PopulationStabilityIndexAlert, $"steady PSI {steadyPsi}");
        Assert.True(steadyJs < DriftThresholds.JensenShannonDistanceAlert, $"steady JS {steadyJs}");
        Assert.True(shiftedPsi > DriftThresholds.PopulationStabilityIndexAlert, $"shifted PSI {shiftedPsi}");
        Assert.True(shiftedJs > DriftThresholds.JensenShannonDistanceAlert, $"shifted JS {shiftedJs}");
        Assert.Equal(0.0974, scrape.Sum("monitor_reference_class_share", ("model", "steady"), ("class", "0")), 0.02);
        Assert.InRange(scrape.Sum("monitor_estimated_accuracy", ("model", "steady")), 0.9, 1.0);
        Assert.Equal(1.0, scrape.Sum("monitor_reference_confidence_share", ("model", "steady"), ("le", "1")), 3);
    }

    [Fact]
    public async Task RegressionFeedbackFillsErrorHistogram()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(repository => repository.AddFile("linear", TestModels.Linear()));
        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync("/v2/models/linear/infer",
            """{"inputs":[{"name":"x","shape":[3,1],"datatype":"FP32","data":[1,2,3]}]}""");
        string[] ids = body.GetProperty("parameters").GetProperty("prediction_ids").EnumerateArray().Select(id => id.GetString()!).ToArray();

        (HttpStatusCode feedbackStatus, JsonElement scored) = await daemon.PostAsync("/v2/models/linear/feedback",
            $$"""[{"id":"{{ids[0]}}","label":3.5},{"id":"{{ids[1]}}","label":5},{"id":"{{ids[2]}}","label":6}]""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, feedbackStatus);
        Assert.Equal(3, scored.GetProperty("scored").GetInt32());
        PrometheusScrape scrape = await daemon.ScrapeAsync();
        Assert.Equal(3, scrape.Sum("monitor_feedback_absolute_error_count", ("model", "linear")));
        Assert.Equal(1.5, scrape.Sum("monitor_feedback_absolute_error_sum", ("model", "linear")), 6);
        Assert.Equal(1.25, scrape.Sum("monitor_feedback_squared_error_total", ("model", "linear")), 6);
        Assert.Equal(2, scrape.Sum("monitor_feedback_absolute_error_bucket", ("model", "linear"), ("le", "0.5")));
        Assert.Equal(3, scrape.Sum("monitor_prediction_value_count", ("model", "linear")));
    }

    [Fact]
    public async Task PredictedValueBucketsComeFromConfiguration()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFile("linear", TestModels.Linear()),
            new Dictionary<string, string?>
            {
                ["Monitor:Quality:PredictionValueBuckets:0"] = "3",
                ["Monitor:Quality:PredictionValueBuckets:1"] = "5",
                ["Monitor:Quality:PredictionValueBuckets:2"] = "6.5",
            });

        await daemon.PostAsync("/v2/models/linear/infer", """{"inputs":[{"name":"x","shape":[3,1],"datatype":"FP32","data":[1,2,3]}]}""");

        PrometheusScrape scrape = await daemon.ScrapeAsync();
        Assert.Equal(1, scrape.Sum("monitor_prediction_value_bucket", ("model", "linear"), ("le", "3")));
        Assert.Equal(2, scrape.Sum("monitor_prediction_value_bucket", ("model", "linear"), ("le", "5")));
        Assert.Equal(2, scrape.Sum("monitor_prediction_value_bucket", ("model", "linear"), ("le", "6.5")));
        Assert.Equal(3, scrape.Sum("monitor_prediction_value_bucket", ("model", "linear"), ("le", "+Inf")));
    }

    private static ReferenceProfile BuildReference(int first, int count)
    {
        LabelledDataset mnist = MnistData.TestSet;
        (int Class, float Confidence)[] predictions = MnistData.PredictInProcess(Fixtures.MnistMlp, 1f, first, count);
        ReferenceProfileBuilder builder = new(Enumerable.Range(0, 10).Select(digit => $"{digit}").ToArray());
        for (int row = 0; row < count; row++)
        {
            builder.Add(predictions[row].Class, predictions[row].Confidence, mnist.ClassLabels![first + row]);
        }

        return builder.Build();
    }

    private static string BuildRequest(int[] rows)
    {
        LabelledDataset mnist = MnistData.TestSet;
        string data = string.Join(",", rows.SelectMany(row => mnist.GetRow(row).ToArray()).Select(value => value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return $$"""{"inputs":[{"name":"flatten_input","shape":[{{rows.Length}},28,28,1],"datatype":"FP32","data":[{{data}}]}]}""";
    }

    private static int ArgMax(JsonElement data, int row)
    {
        int best = 0;
        float bestScore = float.MinValue;
        for (int k = 0; k < 10; k++)
        {
            float score = data[(row * 10) + k].GetSingle();
            if (score > bestScore)
            {
                bestScore = score;
                best = k;
            }
        }

        return best;
    }
}
