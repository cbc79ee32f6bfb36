using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.ML.OnnxRuntime;
using Monitor.Hosting;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

// Measures, on one model and the same rows: raw ONNX Runtime in process at several batch sizes
// (the ceiling), then the daemon over HTTP with batching on and off and with metrics on and off,
// at fixed client concurrency levels. Prints a Markdown table.
//
// usage: dotnet run -c Release --project benchmarks/Monitor.LoadDriver -- <model.onnx> [seconds per step] [rows per request] [cpu|cuda]
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: Monitor.LoadDriver <model.onnx with input [N,28,28,1]> [seconds per step, default 5] [rows per request, default 1] [cpu|cuda, default cpu]");
    return 2;
}

string modelPath = Path.GetFullPath(args[0]);
double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
int rowsPerRequest = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
string provider = args.Length > 3 ? args[3] : "cpu";
float[] row = Enumerable.Range(0, 784).Select(i => (float)((i * 37) % 256)).ToArray();

Console.WriteLine($"model: {Path.GetFileName(modelPath)}; {seconds} s per step; {rowsPerRequest} rows per request; provider {provider}; {Environment.ProcessorCount} cores; {RuntimeDescription()}");
Console.WriteLine();
Console.WriteLine("| setup | concurrency | rows/request | rows/s | p50 ms | p99 ms |");
Console.WriteLine("|---|---|---|---|---|---|");

double best = 0;
foreach (int batch in new[] { 1, 8, 32, 64, 128 })
{
    double rate = RawOnnxRuntime(modelPath, row, batch, seconds, provider);
    best = Math.Max(best, rate);
    Console.WriteLine($"| raw ONNX Runtime, batch {batch} | 1 | {batch} | {rate:0} | | |");
}

(string Name, Dictionary<string, string?> Settings)[] setups =
[
    ("daemon, batching on, metrics on", new() { ["Monitor:Batching:Enabled"] = "true" }),
    ("daemon, batching off, metrics on", new() { ["Monitor:Batching:Enabled"] = "false" }),
    ("daemon, batching on, metrics off", new() { ["Monitor:Batching:Enabled"] = "true", ["Monitor:ExportMetrics"] = "false" }),
];

// one unmeasured run of each setup first, so that no setup pays for JIT compilation that a later one reuses
foreach ((_, Dictionary<string, string?> settings) in setups)
{
    await DaemonAsync(modelPath, row, settings, provider, rowsPerRequest, 16, Math.Min(seconds, 3), requestsPerSecond: null);
}

Dictionary<string, double> saturation = [];
foreach ((string name, Dictionary<string, string?> settings) in setups)
{
    foreach (int concurrency in new[] { 1, 16, 64 })
    {
        (double rate, double p50, double p99) = await DaemonAsync(modelPath, row, settings, provider, rowsPerRequest, concurrency, seconds, requestsPerSecond: null);
        saturation[name] = Math.Max(saturation.GetValueOrDefault(name), rate);
        Console.WriteLine($"| {name} | {concurrency} | {rowsPerRequest} | {rate:0} | {p50:0.00} | {p99:0.00} |");
    }
}

// half of saturation, paced: a request starts every 1/rate seconds whatever the answers do
double halfRate = saturation[setups[0].Name] / 2 / rowsPerRequest;
(double halfRows, double halfP50, double halfP99) = await DaemonAsync(modelPath, row, setups[0].Settings, provider, rowsPerRequest, 64, seconds, halfRate);
Console.WriteLine($"| {setups[0].Name}, paced at half of saturation | open loop | {rowsPerRequest} | {halfRows:0} | {halfP50:0.00} | {halfP99:0.00} |");

Console.WriteLine();
Console.WriteLine($"best raw ONNX Runtime: {best:0} rows/s");
foreach ((string name, double rate) in saturation)
{
    Console.WriteLine($"{name}: {rate:0} rows/s at saturation, {rate / best:P0} of raw");
}

return 0;

static double RawOnnxRuntime(string modelPath, float[] row, int batch, double seconds, string provider)
{
    using SessionOptions sessionOptions = new();
    if (provider == "cuda")
    {
        sessionOptions.AppendExecutionProvider_CUDA(0);
    }

    using InferenceSession session = new(modelPath, sessionOptions);
    string input = session.InputMetadata.Keys.Single();
    float[] data = Enumerable.Range(0, batch).SelectMany(_ => row).ToArray();
    using OrtValue value = OrtValue.CreateTensorValueFromMemory(data, [batch, 28, 28, 1]);
    using RunOptions options = new();
    long rows = 0;
    Stopwatch watch = Stopwatch.StartNew();
    while (watch.Elapsed.TotalSeconds < seconds)
    {
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, [input], [value], session.OutputNames);
        rows += batch;
    }

    return rows / watch.Elapsed.TotalSeconds;
}

static async Task<(double Rate, double P50, double P99)> DaemonAsync(
    string modelPath, float[] row, Dictionary<string, string?> settings, string provider, int rowsPerRequest, int concurrency, double seconds, double? requestsPerSecond)
{
    string repository = Path.Combine(Path.GetTempPath(), "monitor-load", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(Path.Combine(repository, "mnist", "1"));
    File.CreateSymbolicLink(Path.Combine(repository, "mnist", "1", "model.onnx"), modelPath);
    int httpPort = FreePort();
    int metricsPort = FreePort();
    Dictionary<string, string?> all = new(settings)
    {
        ["Monitor:ModelRepository"] = repository,
        ["Monitor:ListenAddress"] = "127.0.0.1",
        ["Monitor:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
        ["Monitor:MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        ["Monitor:ExecutionProvider"] = provider,
        ["Logging:LogLevel:Default"] = "Error",
    };

    await using WebApplication app = MonitorServer.Build([], all);
    await app.StartAsync();
    using HttpClient client = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    while ((await client.GetAsync("/v2/health/ready")).StatusCode != HttpStatusCode.OK)
    {
        await Task.Delay(50);
    }

    string input = (await client.GetStringAsync("/v2/models/mnist")).Split("\"inputs\":[{\"name\":\"", 2)[1].Split('"', 2)[0];
    byte[] body = Encoding.UTF8.GetBytes(
        $"{{\"inputs\":[{{\"name\":\"{input}\",\"shape\":[{rowsPerRequest},28,28,1],\"datatype\":\"FP32\",\"data\":["
        + string.Join(",", Enumerable.Repeat(row, rowsPerRequest).SelectMany(values => values).Select(value => value.ToString(CultureInfo.InvariantCulture))) + "]}]}");
    long issued = 0;
    List<double> latencies = [];
    Stopwatch watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        List<double> own = [];
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            if (requestsPerSecond is { } pace)
            {
                // open loop: wait for this request's slot in the schedule
                TimeSpan slot = TimeSpan.FromSeconds(Interlocked.Increment(ref issued) / pace);
                TimeSpan wait = slot - watch.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                if (watch.Elapsed.TotalSeconds >= seconds)
                {
                    break;
                }
            }

            long started = Stopwatch.GetTimestamp();
            using ByteArrayContent content = new(body);
            content.Headers.ContentType = new("application/json");
            using HttpResponseMessage response = await client.PostAsync("/v2/models/mnist/infer", content);
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        lock (latencies)
        {
            latencies.AddRange(own);
        }
    }));

    double elapsed = watch.Elapsed.TotalSeconds;
    await app.StopAsync();
    Directory.Delete(repository, recursive: true);
    latencies.Sort();
    return latencies.Count == 0
        ? (0, double.NaN, double.NaN)
        : (latencies.Count * rowsPerRequest / elapsed, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
}

static int FreePort()
{
    using TcpListener listener = new(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string RuntimeDescription() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
