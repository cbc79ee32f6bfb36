using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitor.Hosting;
using Monitor.Telemetry;

namespace Monitor.Http;

/// <summary>
/// The API key from <c>Monitor:ApiKeyFile</c>, kept as its SHA-256 hash. The file is read again
/// when its size or last write time changes, checked at most once per second, so that a rotated
/// Kubernetes secret takes effect without a restart.
/// </summary>
internal sealed class ApiKeyStore
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string? path;
    private readonly ILogger<ApiKeyStore> logger;
    private readonly object gate = new();
    private byte[] keyHash = [];
    private (long Length, DateTime LastWriteTimeUtc) fileVersion;
    private long lastCheckTimestamp;

    public ApiKeyStore(IOptions<MonitorOptions> options, ILogger<ApiKeyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        this.path = options.Value.ApiKeyFile;
        this.logger = logger;
        if (this.path is not null)
        {
            _ = this.Reload();
        }
    }

    /// <summary>Gets whether requests need an API key.</summary>
    public bool IsEnabled => this.path is not null;

    /// <summary>Compares a presented key with the configured one in constant time.</summary>
    public bool Matches(string? presented)
    {
        if (presented is null)
        {
            return false;
        }

        byte[] expected = this.CurrentHash();

        // hashing first makes both sides 32 bytes, so the comparison time does not depend on the key length
        byte[] actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return expected.Length == actual.Length && CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private byte[] CurrentHash()
    {
        lock (this.gate)
        {
            if (Stopwatch.GetElapsedTime(this.lastCheckTimestamp) >= CheckInterval)
            {
                this.lastCheckTimestamp = Stopwatch.GetTimestamp();
                try
                {
                    if (ReadVersion(this.path!) != this.fileVersion)
                    {
                        if (this.Reload())
                        {
                            this.logger.ApiKeyReloaded(this.path!);
                        }
                        else
                        {
                            this.logger.ApiKeyKept(this.path!, "the file is empty");
                        }
                    }
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // keep the last key while the file is being replaced, and log that once per change
                    if (this.fileVersion != default)
                    {
                        this.fileVersion = default;
                        this.logger.ApiKeyKept(this.path!, exception.Message);
                    }
                }
            }

            return this.keyHash;
        }
    }

    /// <summary>Reads the key file; returns false, keeping the previous key, when the file is empty.</summary>
    private bool Reload()
    {
        (long, DateTime) version = ReadVersion(this.path!);
        string key = File.ReadAllText(this.path!).Trim();
        this.fileVersion = version;
        this.lastCheckTimestamp = Stopwatch.GetTimestamp();
        if (key.Length == 0)
        {
            return false;
        }

        this.keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return true;
    }

    private static (long Length, DateTime LastWriteTimeUtc) ReadVersion(string path)
    {
        FileInfo info = new(path);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
        {
            info = target;
        }

        return (info.Length, info.LastWriteTimeUtc);
    }
}
