using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Monitor.Tests.Infrastructure;

/// <summary>
/// A real Prometheus server on 127.0.0.1 with a temporary configuration and TSDB, and a client
/// for its HTTP API. Dispose it to kill the process and delete the temporary folder.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "PROMETHEUS";

    private const int MaxLogLines = 200;

    private readonly Process process;
    private readonly string directory;
    private readonly Queue<string> log = new();

    private PrometheusServer(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        this.Port = port;
        this.Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    /// <summary>Gets the last lines that Prometheus logged, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (this.log)
            {
                return string.Join('\n', this.log);
            }
        }
    }

    /// <summary>
    /// Starts Prometheus with one scrape job over <paramref name="targets"/> (host:port), the given
    /// scrape and rule evaluation interval, and the rules in <paramref name="rulesYaml"/>, and waits
    /// until it is ready.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string jobName, IReadOnlyList<string> targets, string rulesYaml, TimeSpan interval)
    {
        string executable = FindExecutable();
        string directory = Path.Combine(Path.GetTempPath(), "monitor-tests", "prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string rulesFile = Path.Combine(directory, "rules.yaml");
        await File.WriteAllTextAsync(rulesFile, rulesYaml);
        string configFile = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, BuildConfig(jobName, targets, rulesFile, interval));

        int port = LoopbackPorts.Free();
        ProcessStartInfo startInfo = new(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        startInfo.ArgumentList.Add($"--config.file={configFile}");
        startInfo.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(directory, "data")}");
        startInfo.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        startInfo.ArgumentList.Add($"--web.console.templates={Path.Combine(directory, "consoles")}");
        startInfo.ArgumentList.Add($"--web.console.libraries={Path.Combine(directory, "console_libraries")}");

        Process process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Starting '{executable}' failed.");
        PrometheusServer server = new(process, directory, port);
        process.OutputDataReceived += (_, line) => server.Append(line.Data);
        process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Runs an instant query at the current time.</summary>
    public Task<PrometheusQueryResult> QueryAsync(string expression) =>
        this.GetResultAsync($"/api/v1/query?query={Uri.EscapeDataString(expression)}", expression);

    /// <summary>Runs a range query from <paramref name="start"/> to now with the given step.</summary>
    public Task<PrometheusQueryResult> QueryRangeAsync(string expression, DateTimeOffset start, TimeSpan step)
    {
        string path = $"/api/v1/query_range?query={Uri.EscapeDataString(expression)}"
            + $"&start={FormatSeconds(start)}&end={FormatSeconds(DateTimeOffset.UtcNow)}"
            + $"&step={step.TotalSeconds.ToString(CultureInfo.InvariantCulture)}";
        return this.GetResultAsync(path, expression);
    }

    /// <summary>Returns the values of a label over the series that <paramref name="match"/> selects.</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string label, string match)
    {
        JsonElement data = await this.GetDataAsync($"/api/v1/label/{Uri.EscapeDataString(label)}/values?match[]={Uri.EscapeDataString(match)}", match);
        return data.EnumerateArray().Select(value => value.GetString()!).ToArray();
    }

    /// <summary>Returns the active (pending or firing) alerts with their labels.</summary>
    public async Task<IReadOnlyList<PrometheusAlert>> AlertsAsync()
    {
        JsonElement data = await this.GetDataAsync("/api/v1/alerts", "alerts");
        return data.GetProperty("alerts").EnumerateArray()
            .Select(alert => new PrometheusAlert(ReadLabels(alert.GetProperty("labels")), alert.GetProperty("state").GetString()!))
            .ToArray();
    }

    /// <summary>Returns the earliest time at which a rule group was last evaluated, over all groups.</summary>
    public async Task<DateTimeOffset> OldestRuleEvaluationAsync()
    {
        JsonElement data = await this.GetDataAsync("/api/v1/rules", "rules");
        return data.GetProperty("groups").EnumerateArray()
            .Select(group => DateTimeOffset.Parse(group.GetProperty("lastEvaluation").GetString()!, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(DateTimeOffset.MinValue)
            .Min();
    }

    public async ValueTask DisposeAsync()
    {
        this.Client.Dispose();
        if (!this.process.HasExited)
        {
            this.process.Kill();
            using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
            await this.process.WaitForExitAsync(timeout.Token);
        }

        this.process.Dispose();
        try
        {
            Directory.Delete(this.directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temporary folder is harmless
        }
    }

    private static string BuildConfig(string jobName, IReadOnlyList<string> targets, string rulesFile, TimeSpan interval)
    {
        string seconds = $"{interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
        StringBuilder config = new();
        config.AppendLine("global:")
            .AppendLine(CultureInfo.InvariantCulture, $"  scrape_interval: {seconds}")
            .AppendLine(CultureInfo.InvariantCulture, $"  scrape_timeout: {seconds}")
            .AppendLine(CultureInfo.InvariantCulture, $"  evaluation_interval: {seconds}")
            .AppendLine("rule_files:")
            .AppendLine(CultureInfo.InvariantCulture, $"  - {JsonSerializer.Serialize(rulesFile)}")
            .AppendLine("scrape_configs:")
            .AppendLine(CultureInfo.InvariantCulture, $"  - job_name: {JsonSerializer.Serialize(jobName)}")
            .AppendLine("    static_configs:")
            .AppendLine(CultureInfo.InvariantCulture, $"      - targets: {JsonSerializer.Serialize(targets)}");
        return config.ToString();
    }

    /// <summary>Formats a time as Unix seconds with milliseconds, as the API takes it.</summary>
    private static string FormatSeconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> ReadLabels(JsonElement labels) =>
        labels.EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString()!, StringComparer.Ordinal);

    private static double ParseValue(JsonElement sample)
    {
        string text = sample[1].GetString()!;
        return text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(text, CultureInfo.InvariantCulture),
        };
    }

    private static string FindExecutable()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new FileNotFoundException(
                    $"{EnvironmentVariable} is set to '{configured}', which does not exist. Install the Debian package prometheus (apt-get install prometheus), or set {EnvironmentVariable} to the prometheus binary.",
                    configured);
        }

        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            string candidate = Path.Combine(folder, "prometheus");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"prometheus was not found on PATH or in /usr/bin. Install the Debian package prometheus (apt-get install prometheus), or set {EnvironmentVariable} to the prometheus binary.");
    }

    private async Task WaitUntilReadyAsync()
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (this.process.HasExited)
            {
                throw new InvalidOperationException($"Prometheus exited with code {this.process.ExitCode} before it was ready. Its log:\n{this.Log}");
            }

            try
            {
                using HttpResponseMessage response = await this.Client.GetAsync("/-/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Prometheus on port {this.Port} was not ready within 30 s. Its log:\n{this.Log}");
    }

    private async Task<PrometheusQueryResult> GetResultAsync(string path, string expression)
    {
        JsonElement data = await this.GetDataAsync(path, expression);
        string resultType = data.GetProperty("resultType").GetString()!;
        if (resultType == "scalar")
        {
            return new PrometheusQueryResult(resultType, [new PrometheusSeries(new Dictionary<string, string>(), [ParseValue(data.GetProperty("result"))])]);
        }

        List<PrometheusSeries> series = [];
        foreach (JsonElement item in data.GetProperty("result").EnumerateArray())
        {
            IReadOnlyDictionary<string, string> labels = ReadLabels(item.GetProperty("metric"));
            double[] values = item.TryGetProperty("values", out JsonElement samples)
                ? samples.EnumerateArray().Select(ParseValue).ToArray()
                : [ParseValue(item.GetProperty("value"))];
            series.Add(new PrometheusSeries(labels, values));
        }

        return new PrometheusQueryResult(resultType, series);
    }

    /// <summary>Sends a GET to the API and returns <c>data</c>, or throws with Prometheus's error and the query.</summary>
    private async Task<JsonElement> GetDataAsync(string path, string query)
    {
        using HttpResponseMessage response = await this.Client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        JsonElement body = JsonDocument.Parse(text).RootElement.Clone();
        if (body.GetProperty("status").GetString() != "success")
        {
            string error = body.TryGetProperty("error", out JsonElement message) ? message.GetString() ?? text : text;
            throw new InvalidOperationException($"Prometheus rejected the query ({(int)response.StatusCode}): {error}\nQuery: {query}");
        }

        return body.GetProperty("data");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (this.log)
        {
            this.log.Enqueue(line);
            if (this.log.Count > MaxLogLines)
            {
                this.log.Dequeue();
            }
        }
    }
}
