using System.Globalization;
using System.Net;
using System.Text.Json;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

public sealed class RequestLimitsTests
{
    [Fact]
    public async Task TensorElementLimitRejectsLargeRequests()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("limits", Fixtures.IrisMlp),
            new Dictionary<string, string?> { ["Monitor:MaxTensorElements"] = "100" });

        (HttpStatusCode atLimit, _) = await daemon.PostAsync("/v2/models/limits/infer", Rows(25));
        (HttpStatusCode overLimit, JsonElement body) = await daemon.PostAsync("/v2/models/limits/infer", Rows(26));
        (HttpStatusCode instancesOver, _) = await daemon.PostAsync("/v1/models/limits:predict",
            "{\"instances\":[" + string.Join(",", Enumerable.Repeat("[5.1,3.5,1.4,0.2]", 26)) + "]}");

        Assert.Equal(HttpStatusCode.OK, atLimit);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overLimit);
        Assert.Contains("over the limit of 100 tensor elements (Monitor:MaxTensorElements)", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, instancesOver);
    }

    [Fact]
    public async Task DeclaredShapeIsCheckedBeforeData()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("limits", Fixtures.IrisMlp),
            new Dictionary<string, string?> { ["Monitor:MaxTensorElements"] = "1000", ["Monitor:MaxRowsPerRequest"] = "1000000" });

        (HttpStatusCode status, JsonElement body) = await daemon.PostAsync("/v2/models/limits/infer",
            """{"inputs":[{"name":"keras_tensor","shape":[1000000,4],"datatype":"FP32","data":[1,2,3,4]}]}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("shape [1000000,4]", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static string Rows(int count) =>
        "{\"inputs\":[{\"name\":\"keras_tensor\",\"shape\":[" + count.ToString(CultureInfo.InvariantCulture) + ",4],\"datatype\":\"FP32\",\"data\":["
        + string.Join(",", Enumerable.Repeat("5.1,3.5,1.4,0.2", count)) + "]}]}";
}
