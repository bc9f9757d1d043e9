using System.Net;
using System.Net.Sockets;

namespace Clerk.AspNetCore.FunctionalTests;

/// <summary>
/// A free loopback port for a server a test starts on a fixed address (Kestrel, a shop process).
/// <para>
/// Not from the ephemeral range (Linux: 32768–60999), where a port asked of the kernel with port 0 is free only until
/// the next outgoing connection of any test in the run takes it as its source port: under the load of the whole suite
/// that happened, and the server then failed to start. Ports below that range are never handed out by the kernel; a
/// random one is tried until one binds, and the small window between the check and the server's bind is shared only
/// with other tests doing the same.
/// </para>
/// </summary>
internal static class LoopbackPort
{
    private const int First = 20_000;
    private const int Last = 32_000;

    public static int Reserve()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last} after 200 tries.");
    }
}
