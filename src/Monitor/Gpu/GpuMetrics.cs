using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitor.Telemetry;

namespace Monitor.Gpu;

/// <summary>
/// GPU memory and utilisation per device from NVML, observed at each scrape. On a machine
/// without an NVIDIA driver the gauges report nothing.
/// </summary>
internal sealed class GpuMetrics : IHostedService, IDisposable
{
    private readonly ILogger<GpuMetrics> logger;
    private readonly NvmlLibrary? nvml;
    private readonly object gate = new();

    public GpuMetrics(MonitorMetrics metrics, ILogger<GpuMetrics> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);

        this.logger = logger;
        this.nvml = NvmlLibrary.TryLoad(out string? reason);
        this.UnavailableReason = reason;

        metrics.Meter.CreateObservableGauge("monitor.gpu.memory.used", () => this.Observe(sample => (long)sample.Used), "By", "GPU memory in use, from NVML.");
        metrics.Meter.CreateObservableGauge("monitor.gpu.memory.total", () => this.Observe(sample => (long)sample.Total), "By", "GPU memory in all, from NVML.");
        metrics.Meter.CreateObservableGauge("monitor.gpu.utilization", () => this.Observe(sample => sample.Utilization), "1", "GPU busy share over NVML's last sample period, 0 to 1.");
    }

    /// <summary>Gets why NVML is not used, or null when it is.</summary>
    public string? UnavailableReason { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (this.nvml is null)
        {
            this.logger.GpuMetricsUnavailable(this.UnavailableReason ?? "unknown");
        }
        else
        {
            this.logger.GpuMetricsAvailable((int)this.nvml.DeviceCount);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => this.nvml?.Dispose();

    private List<Measurement<T>> Observe<T>(Func<(ulong Used, ulong Total, double Utilization), T> select)
        where T : struct
    {
        List<Measurement<T>> measurements = [];
        if (this.nvml is null)
        {
            return measurements;
        }

        lock (this.gate)
        {
            for (uint index = 0; index < this.nvml.DeviceCount; index++)
            {
                if (this.nvml.TryRead(index, out ulong used, out ulong total, out double utilization))
                {
                    measurements.Add(new Measurement<T>(select((used, total, utilization)), new KeyValuePair<string, object?>("gpu", index.ToString(CultureInfo.InvariantCulture))));
                }
            }
        }

        return measurements;
    }
}
