using System.Net;
using System.Net.Sockets;

namespace Monitor.Tests.Infrastructure;

/// <summary>Picks TCP ports on 127.0.0.1 for test servers.</summary>
internal static class LoopbackPorts
{
    /// <summary>Returns a port that was free a moment ago: the system picks it, and the listener closes at once.</summary>
    public static int Free()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
