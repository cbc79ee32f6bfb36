using System.Net;
using System.Text.Json;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

[Collection(ServingCollection.Name)]
public sealed class InferenceTests
{
    private readonly MonitorDaemon daemon;

    public InferenceTests(ServingDaemonFixture fixture)
    {
        this.daemon = fixture.Daemon;
    }

    [Fact]
    public async Task InferEchoesIdAndReturnsTopClass()
    {
        (HttpStatusCode status, JsonElement body) = await this.daemon.PostAsync("/v2/models/iris/infer", """
            {"id": "req-1", "parameters": {"classification": true},
             "inputs": [{"name": "keras_tensor", "shape": [2, 4], "datatype": "FP32", "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("req-1", body.GetProperty("id").GetString());
        Assert.Equal("iris", body.GetProperty("model_name").GetString());
        Assert.Equal("1", body.GetProperty("model_version").GetString());
        JsonElement parameters = body.GetProperty("parameters");
        Assert.Equal([0, 2], parameters.GetProperty("predicted_class").EnumerateArray().Select(value => value.GetInt32()));
        Assert.Equal(["setosa", "virginica"], parameters.GetProperty("predicted_label").EnumerateArray().Select(value => value.GetString()));
        JsonElement output = body.GetProperty("outputs")[0];
        Assert.Equal("output_0", output.GetProperty("name").GetString());
        Assert.Equal([2, 3], output.GetProperty("shape").EnumerateArray().Select(value => value.GetInt64()));
        Assert.Equal(6, output.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task InferAcceptsNameWithTensorFlowSuffix()
    {
        (HttpStatusCode status, _) = await this.daemon.PostAsync("/v2/models/iris/versions/1/infer", """
            {"inputs": [{"name": "keras_tensor:0", "shape": [1, 4], "datatype": "FP64", "data": [5.1, 3.5, 1.4, 0.2]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("INT32", "[5, 3, 1, 0]")]
    [InlineData("INT64", "[5, 3, 1, 0]")]
    [InlineData("BOOL", "[true, false, true, false]")]
    public async Task InferDecodesEveryDatatype(string datatype, string data)
    {
        (HttpStatusCode status, _) = await this.daemon.PostAsync("/v2/models/iris/infer",
            $$"""{"inputs": [{"name": "keras_tensor", "shape": [1, 4], "datatype": "{{datatype}}", "data": {{data}}}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task InferWithoutClassificationFlagOmitsTopClass()
    {
        (_, JsonElement body) = await this.daemon.PostAsync("/v2/models/iris/infer", """
            {"inputs": [{"name": "keras_tensor", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}
            """);

        Assert.False(body.TryGetProperty("parameters", out JsonElement parameters) && parameters.TryGetProperty("predicted_class", out _));
    }

    [Fact]
    public async Task PredictReturnsNestedRows()
    {
        (HttpStatusCode status, JsonElement body) = await this.daemon.PostAsync("/v1/models/iris:predict", """{"instances": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement predictions = body.GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        Assert.Equal(3, predictions[0].GetArrayLength());
        Assert.True(predictions[0][0].GetSingle() > 0.9f);
    }

    [Fact]
    public async Task PredictFlatRowFitsNhwcInput()
    {
        string pixels = string.Join(",", Enumerable.Repeat("0", 784));

        (HttpStatusCode status, JsonElement body) = await this.daemon.PostAsync("/v1/models/mnist-mlp:predict", $$"""{"instances": [[{{pixels}}]]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(10, body.GetProperty("predictions")[0].GetArrayLength());
    }

    [Fact]
    public async Task DemoModelClassifiesFaultyMachine()
    {
        (HttpStatusCode status, JsonElement body) = await this.daemon.PostAsync("/v2/models/machine-condition/infer", """
            {"parameters": {"classification": true},
             "inputs": [{"name": "dense_input", "shape": [1, 4], "datatype": "FP32", "data": [7.5, 85, 15, 80]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("faulty", body.GetProperty("parameters").GetProperty("predicted_label")[0].GetString());
    }

    [Fact]
    public async Task OutputsSelectionReturnsNamedOutput()
    {
        (HttpStatusCode status, JsonElement body) = await this.daemon.PostAsync("/v2/models/iris/infer", """
            {"inputs": [{"name": "keras_tensor", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}],
             "outputs": [{"name": "output_0"}]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("outputs").GetArrayLength());
    }
}
