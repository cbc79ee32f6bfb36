using System.Runtime.InteropServices;

namespace Monitor.Gpu;

/// <summary>
/// The few NVML (NVIDIA Management Library) calls Monitor needs, bound at run time from
/// <c>libnvidia-ml.so.1</c>, which the NVIDIA driver installs. Without a driver, <see cref="TryLoad"/>
/// returns null and nothing else happens.
/// </summary>
internal sealed unsafe class NvmlLibrary : IDisposable
{
    private const int Success = 0;

    private readonly nint handle;
    private readonly delegate* unmanaged<int> shutdown;
    private readonly delegate* unmanaged<uint, nint*, int> getHandleByIndex;
    private readonly delegate* unmanaged<nint, NvmlMemory*, int> getMemoryInfo;
    private readonly delegate* unmanaged<nint, NvmlUtilization*, int> getUtilizationRates;

    private NvmlLibrary(nint handle, uint deviceCount)
    {
        this.handle = handle;
        this.DeviceCount = deviceCount;
        this.shutdown = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "nvmlShutdown");
        this.getHandleByIndex = (delegate* unmanaged<uint, nint*, int>)NativeLibrary.GetExport(handle, "nvmlDeviceGetHandleByIndex_v2");
        this.getMemoryInfo = (delegate* unmanaged<nint, NvmlMemory*, int>)NativeLibrary.GetExport(handle, "nvmlDeviceGetMemoryInfo");
        this.getUtilizationRates = (delegate* unmanaged<nint, NvmlUtilization*, int>)NativeLibrary.GetExport(handle, "nvmlDeviceGetUtilizationRates");
    }

    public uint DeviceCount { get; }

    /// <summary>Loads and initialises NVML, or returns null with the reason when there is no usable driver.</summary>
    public static NvmlLibrary? TryLoad(out string? reason)
    {
        if (!NativeLibrary.TryLoad("libnvidia-ml.so.1", out nint handle))
        {
            reason = "libnvidia-ml.so.1 was not found (no NVIDIA driver)";
            return null;
        }

        try
        {
            var init = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "nvmlInit_v2");
            var getCount = (delegate* unmanaged<uint*, int>)NativeLibrary.GetExport(handle, "nvmlDeviceGetCount_v2");
            int status = init();
            if (status != Success)
            {
                reason = $"nvmlInit_v2 returned {status}";
                NativeLibrary.Free(handle);
                return null;
            }

            uint count;
            status = getCount(&count);
            if (status != Success)
            {
                reason = $"nvmlDeviceGetCount_v2 returned {status}";
                NativeLibrary.Free(handle);
                return null;
            }

            reason = null;
            return new NvmlLibrary(handle, count);
        }
        catch (EntryPointNotFoundException exception)
        {
            reason = exception.Message;
            NativeLibrary.Free(handle);
            return null;
        }
    }

    /// <summary>Reads one device's memory in bytes and its busy share over NVML's last sample period, 0 to 1.</summary>
    public bool TryRead(uint index, out ulong usedBytes, out ulong totalBytes, out double utilization)
    {
        usedBytes = 0;
        totalBytes = 0;
        utilization = 0;

        nint device;
        NvmlMemory memory;
        NvmlUtilization rates;
        if (this.getHandleByIndex(index, &device) != Success || this.getMemoryInfo(device, &memory) != Success)
        {
            return false;
        }

        usedBytes = memory.Used;
        totalBytes = memory.Total;
        if (this.getUtilizationRates(device, &rates) == Success)
        {
            utilization = rates.Gpu / 100.0;
        }

        return true;
    }

    public void Dispose()
    {
        this.shutdown();
        NativeLibrary.Free(this.handle);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlUtilization
    {
        public uint Gpu;
        public uint Memory;
    }
}
