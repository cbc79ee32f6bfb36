using Microsoft.Extensions.Hosting;

namespace Monitor.Hosting;

/// <summary>Tracks whether the host began to stop, so that readiness turns false before work drains.</summary>
public sealed class ServerLifetime
{
    public ServerLifetime(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        lifetime.ApplicationStopping.Register(() => this.IsStopping = true);
    }

    public bool IsStopping { get; private set; }
}
