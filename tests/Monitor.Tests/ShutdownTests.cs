using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Monitor.Hosting;
using Monitor.Repository;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task StopLetsQueuedRequestsFinish()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("drain", Fixtures.IrisMlp),
            new Dictionary<string, string?>
            {
                ["Monitor:Batching:MaxQueueDelayMilliseconds"] = "3000",
                ["Monitor:Batching:MaxBatchSize"] = "1000",
            });
        using InferenceSession session = new(Fixtures.PathOf(Fixtures.IrisMlp));
        float[][] expected = IrisRequests.Reference(session);
        const int requestCount = 16;

        Task<(HttpStatusCode Status, JsonElement Body)>[] requests = Enumerable.Range(0, requestCount)
            .Select(i => daemon.PostAsync("/v2/models/drain/infer", IrisRequests.Body(IrisRequests.Rows[i % IrisRequests.Rows.Length])))
            .ToArray();
        await WaitForQueueDepthAsync(daemon, requestCount);
        Task stop = daemon.StopAsync();
        bool stoppingBeforeDrain = daemon.Services.GetRequiredService<ServerLifetime>().IsStopping;
        (HttpStatusCode Status, JsonElement Body)[] responses = await Task.WhenAll(requests);
        await stop;

        Assert.True(stoppingBeforeDrain);
        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.Status));
        for (int i = 0; i < requestCount; i++)
        {
            float[] served = responses[i].Body.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(value => value.GetSingle()).ToArray();
            Assert.Equal(expected[i % IrisRequests.Rows.Length], served);
        }
    }

    [Fact]
    public async Task GracePeriodBoundsStop()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository => repository.AddFixture("drain", Fixtures.IrisMlp),
            new Dictionary<string, string?>
            {
                ["Monitor:ShutdownGracePeriodSeconds"] = "1",
                ["Monitor:Batching:MaxQueueDelayMilliseconds"] = "10000",
                ["Monitor:Batching:MaxBatchSize"] = "1000",
            });

        Task<HttpResponseMessage> request = daemon.PostJsonAsync("/v2/models/drain/infer", IrisRequests.Body(IrisRequests.Rows[0]));
        await WaitForQueueDepthAsync(daemon, 1);
        Stopwatch stopping = Stopwatch.StartNew();
        await daemon.StopAsync();
        stopping.Stop();
        try
        {
            using HttpResponseMessage response = await request;
        }
        catch (HttpRequestException)
        {
            // the server closed the connection when the grace period ended
        }

        Assert.Equal(TimeSpan.FromSeconds(1), daemon.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"Stopping took {stopping.Elapsed.TotalSeconds:0.0} s with a 1 s grace period.");
    }

    private static async Task WaitForQueueDepthAsync(MonitorDaemon daemon, int depth)
    {
        ModelRegistry registry = daemon.Services.GetRequiredService<ModelRegistry>();
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (registry.GetModel("drain").Latest!.Scheduler!.QueueDepth < depth)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Fewer than {depth} requests were queued after 10 s.");
            await Task.Delay(10);
        }
    }
}
