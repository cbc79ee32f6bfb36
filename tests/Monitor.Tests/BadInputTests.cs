using System.Net;
using System.Text.Json;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

[Collection(ServingCollection.Name)]
public sealed class BadInputTests
{
    private const string IrisInfer = "/v2/models/iris/infer";

    private readonly MonitorDaemon daemon;

    public BadInputTests(ServingDaemonFixture fixture)
    {
        this.daemon = fixture.Daemon;
    }

    public static TheoryData<string, string, HttpStatusCode, string> Cases => new()
    {
        { IrisInfer, "{not json", HttpStatusCode.BadRequest, "not valid JSON" },
        { IrisInfer, "", HttpStatusCode.BadRequest, "not valid JSON" },
        { IrisInfer, "[1,2]", HttpStatusCode.BadRequest, "send a JSON object" },
        { IrisInfer, "{}", HttpStatusCode.BadRequest, "no 'inputs' array" },
        { "/v2/models/nosuchmodel/infer", Iris(1, "[1,2,3,4]"), HttpStatusCode.NotFound, "Model 'nosuchmodel' was not found" },
        { "/v2/models/iris/versions/7/infer", Iris(1, "[1,2,3,4]"), HttpStatusCode.NotFound, "version 7 is not ready" },
        { "/v2/models/iris/versions/abc/infer", Iris(1, "[1,2,3,4]"), HttpStatusCode.BadRequest, "Version 'abc'" },
        { IrisInfer, """{"inputs":[{"name":"pixels","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""", HttpStatusCode.BadRequest, "Input 'pixels' is not an input of model 'iris'; its inputs are: keras_tensor" },
        { IrisInfer, """{"inputs":[]}""", HttpStatusCode.BadRequest, "Input 'keras_tensor' is missing" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"BYTES","data":["a"]}]}""", HttpStatusCode.BadRequest, "datatype 'BYTES' is not supported" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"FP32","data":[1,2,"x",4]}]}""", HttpStatusCode.BadRequest, "data[2] is a string" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"INT32","data":[1,2,3.5,4]}]}""", HttpStatusCode.BadRequest, "INT32 needs an integer" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"BOOL","data":[1,0,1,0]}]}""", HttpStatusCode.BadRequest, "BOOL needs true or false" },
        { IrisInfer, Iris(2, "[1,2,3,4,5,6,7]"), HttpStatusCode.BadRequest, "shape [2,4] needs 8 values but 'data' has 7" },
        { IrisInfer, Iris(1, "[1,2,3,4,5]"), HttpStatusCode.BadRequest, "needs 4 values but 'data' has more" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,5],"datatype":"FP32","data":[1,2,3,4,5]}]}""", HttpStatusCode.BadRequest, "has 5 at dimension 1 but model 'iris' takes 4" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[4],"datatype":"FP32","data":[1,2,3,4]}]}""", HttpStatusCode.BadRequest, "has rank 1 but model 'iris' takes rank 2" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[0,4],"datatype":"FP32","data":[]}]}""", HttpStatusCode.BadRequest, "empty batch" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,-4],"datatype":"FP32","data":[1,2,3,4]}]}""", HttpStatusCode.BadRequest, "shape[1] is -4" },
        { IrisInfer, Iris(1, "[1,2,3,1e39]"), HttpStatusCode.BadRequest, "not a finite float32 value" },
        { IrisInfer, Iris(1, "[1,2,3,NaN]"), HttpStatusCode.BadRequest, "not valid JSON" },
        { IrisInfer, Iris(1, "[1,2,3,\"NaN\"]"), HttpStatusCode.BadRequest, "data[3] is a string" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"logits"}]}""", HttpStatusCode.BadRequest, "Output 'logits' is not an output" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},{"name":"keras_tensor","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""", HttpStatusCode.BadRequest, "appears twice" },
        { IrisInfer, """{"id":5,"inputs":[]}""", HttpStatusCode.BadRequest, "'id' is a number" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"parameters":{"classification":"yes"}}""", HttpStatusCode.BadRequest, "parameters.classification" },
        { IrisInfer, "{\"inputs\":[{\"name\":\"keras_tensor\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":" + new string('[', 40) + new string(']', 40) + "}]}", HttpStatusCode.BadRequest, "not valid JSON" },
        { "/v2/models/..%2F..%2Fetc/infer", Iris(1, "[1,2,3,4]"), HttpStatusCode.BadRequest, "is invalid" },
        { "/v2/models/.hidden/infer", Iris(1, "[1,2,3,4]"), HttpStatusCode.BadRequest, "is invalid" },
        { "/v2/models/broken/infer", Iris(1, "[1,2,3,4]"), HttpStatusCode.ServiceUnavailable, "failed to load" },
        { "/v1/models/iris:predict", """{"rows":[]}""", HttpStatusCode.BadRequest, "no 'instances' array" },
        { "/v1/models/iris:predict", """{"instances":[[1,2,3],[4,5,6,7,8]]}""", HttpStatusCode.BadRequest, "instance 0 has 3 values but each row needs 4" },
        { IrisInfer, Iris(2, "[[1,2,3],[4,5,6,7,8]]"), HttpStatusCode.BadRequest, "does not follow shape [2,4]" },
        { IrisInfer, Iris(2, "[[1,2,3,4],5,6,7,8]"), HttpStatusCode.BadRequest, "does not follow shape [2,4]" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[1,0],"datatype":"FP32","data":[]}]}""", HttpStatusCode.BadRequest, "shape[1] is 0" },
        { IrisInfer, """{"inputs":[{"name":"keras_tensor","shape":[2147483647,4],"datatype":"FP32","data":[]}]}""", HttpStatusCode.BadRequest, "over the limit of 4096 per request" },
        { IrisInfer, Iris(1, "[3e38,3e38,3e38,3e38]"), HttpStatusCode.UnprocessableEntity, "produced NaN in output 'output_0' for row 0" },
        { "/v1/models/iris:predict", """{"instances":[[1,2,3]]}""", HttpStatusCode.BadRequest, "each row needs 4" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InferRejectsBadInput(string path, string body, HttpStatusCode expectedStatus, string expectedMessage)
    {
        (HttpStatusCode status, JsonElement response) = await this.daemon.PostAsync(path, body);

        Assert.Equal(expectedStatus, status);
        Assert.Contains(expectedMessage, response.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InferStillServesAfterBadInput()
    {
        await this.daemon.PostAsync(IrisInfer, "{not json");

        (HttpStatusCode status, JsonElement response) = await this.daemon.PostAsync(IrisInfer, Iris(1, "[5.1,3.5,1.4,0.2]"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, response.GetProperty("outputs")[0].GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task TooManyRowsAreRejected()
    {
        string rows = string.Join(",", Enumerable.Repeat("[5.1,3.5,1.4,0.2]", 4097));

        (HttpStatusCode status, JsonElement response) = await this.daemon.PostAsync(IrisInfer, Iris(4097, "[" + rows + "]"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("over the limit of 4096 per request", response.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUtf8IdIsRejected()
    {
        byte[] body = [.. "{\"id\":\""u8, 0xC3, 0x28, .. "\",\"inputs\":[]}"u8];
        using ByteArrayContent content = new(body);
        content.Headers.ContentType = new("application/json");

        using HttpResponseMessage response = await this.daemon.Client.PostAsync(IrisInfer, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonFiniteOutputLeavesMetricsFinite()
    {
        await this.daemon.PostAsync(IrisInfer, Iris(1, "[3e38,3e38,3e38,3e38]"));

        PrometheusScrape scrape = await this.daemon.ScrapeAsync();

        Assert.All(scrape.Samples.Where(sample => sample.Name.StartsWith("monitor_prediction", StringComparison.Ordinal)), sample => Assert.True(double.IsFinite(sample.Value), sample.Name));
    }

    private static string Iris(int rows, string data) =>
        $$"""{"inputs":[{"name":"keras_tensor","shape":[{{rows}},4],"datatype":"FP32","data":{{data}}}]}""";
}
