using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Monitor.Hosting;
using Monitor.Inference;
using Monitor.Protocol;
using Monitor.Quality;
using Monitor.Repository;
using Monitor.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Polly;

namespace Monitor.Benchmarks;

/// <summary>
/// The per-request steps of the daemon on the MNIST MLP fixture (input [N,28,28,1]): decoding a
/// JSON tensor, stacking requests into a batch, recording the serving metrics with the
/// OpenTelemetry SDK listening, and signing prediction ids.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private ServiceProvider services = null!;
    private LoadedModel model = null!;
    private byte[] oneRow = null!;
    private byte[] sixtyFourRows = null!;
    private InferenceInputs[] requests = null!;
    private MonitorMetrics metrics = null!;
    private MeterProvider meterProvider = null!;
    private PredictionIdCodec codec = null!;

    [GlobalSetup]
    public void Setup()
    {
        string fixtures = Environment.GetEnvironmentVariable("MONITOR_FIXTURES") ?? FindFixtures();
        string repository = Path.Combine(Path.GetTempPath(), "monitor-benchmarks", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(repository, "mnist", "1"));
        File.Copy(Path.Combine(fixtures, "keras-mnist-mlp-784-300-50-10.onnx"), Path.Combine(repository, "mnist", "1", "model.onnx"));

        ServiceCollection collection = new();
        collection.AddMetrics();
        collection.AddSingleton<MonitorMetrics>();
        collection.AddSingleton(Options.Create(new MonitorOptions { ModelRepository = repository, ExecutionProvider = "cpu" }));
        collection.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        collection.AddResiliencePipelineRegistry<string>();
        collection.AddResiliencePipeline(ResiliencePipelineKeys.ModelLoad, _ => { });
        collection.AddSingleton<ModelLoader>();
        this.services = collection.BuildServiceProvider();

        this.model = this.services.GetRequiredService<ModelLoader>().Load("mnist", new ModelVersionEntry(1, Path.Combine(repository, "mnist", "1", "model.onnx")), new ModelSettings());
        this.oneRow = Request(1);
        this.sixtyFourRows = Request(64);
        this.requests = Enumerable.Range(0, 16).Select(_ => InferenceRequestDecoder.DecodeV2(Parse(this.oneRow), this.model, 4096).Inputs).ToArray();

        this.metrics = this.services.GetRequiredService<MonitorMetrics>();
        this.meterProvider = Sdk.CreateMeterProviderBuilder().AddMeter(MonitorMetrics.MeterName).Build();
        this.codec = new PredictionIdCodec(PredictionIdKeys.Generate(), TimeProvider.System, TimeSpan.FromDays(30));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        this.meterProvider.Dispose();
        this.model.Dispose();
        this.services.Dispose();
    }

    [Benchmark(Description = "decode 1-row JSON request")]
    public int DecodeOneRow() => Decode(this.oneRow);

    [Benchmark(Description = "decode 64-row JSON request")]
    public int DecodeSixtyFourRows() => Decode(this.sixtyFourRows);

    [Benchmark(Description = "stack 16 one-row requests")]
    public int StackSixteen()
    {
        (float[][] buffers, _) = BatchAssembler.Stack(this.requests, this.model.Inputs, 16);
        System.Buffers.ArrayPool<float>.Shared.Return(buffers[0]);
        return buffers.Length;
    }

    [Benchmark(Description = "record one request's metrics")]
    public void RecordMetrics()
    {
        this.metrics.RecordRequest("mnist", "1", Outcomes.Success, 0.0012);
        this.metrics.RecordRows("mnist", "1", 1);
        this.metrics.RecordQueueDuration("mnist", "1", 0.0004);
        this.metrics.RecordBatch("mnist", "1", ExecutionProviders.Cpu, 16, 0.0007);
    }

    [Benchmark(Description = "sign one prediction id")]
    public string SignPredictionId() =>
        this.codec.Encode(PredictionId.ForClass("mnist", 1, 7, 0.98f, DateTimeOffset.UtcNow));

    private int Decode(byte[] body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        DecodedRequest request = InferenceRequestDecoder.DecodeV2(document.RootElement, this.model, 4096);
        request.Inputs.ReturnBuffers();
        return request.Inputs.Rows;
    }

    /// <summary>Finds <c>shared/fixtures</c> beside the repository root; BenchmarkDotNet runs each job from its own folder.</summary>
    private static string FindFixtures()
    {
        for (DirectoryInfo? current = new(AppContext.BaseDirectory); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, "Monitor.sln")))
            {
                return Path.Combine(current.FullName, "..", "shared", "fixtures");
            }
        }

        throw new DirectoryNotFoundException("No Monitor.sln above the benchmark; set MONITOR_FIXTURES to the fixtures folder.");
    }

    private static JsonElement Parse(byte[] body) => JsonDocument.Parse(body).RootElement;

    private static byte[] Request(int rows)
    {
        string data = string.Join(",", Enumerable.Range(0, rows * 784).Select(i => ((i * 37) % 256).ToString(CultureInfo.InvariantCulture)));
        return System.Text.Encoding.UTF8.GetBytes(
            $"{{\"inputs\":[{{\"name\":\"flatten_input\",\"shape\":[{rows},28,28,1],\"datatype\":\"FP32\",\"data\":[{data}]}}]}}");
    }
}
