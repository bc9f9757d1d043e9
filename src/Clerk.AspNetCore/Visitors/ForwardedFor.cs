using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Recognizes a request that came through a proxy whose <c>X-Forwarded-For</c> nobody processed: the header is still
/// there and the connection comes from a loopback or private address. Then the client IP the app sees is the
/// proxy's, the same for every visitor, and a cookieless ID derived from it would merge different people.
/// </summary>
/// <remarks>
/// ASP.NET Core's <c>UseForwardedHeaders()</c> moves the forwarded address into <c>RemoteIpAddress</c> and the header's
/// value into <c>X-Original-For</c>, so after it the header is gone (or the peer is the client's public address). A
/// header from a public peer proves nothing: any client can send one, and its own address is then the right one.
/// </remarks>
internal static class ForwardedFor
{
    // ForwardedHeadersDefaults.XForwardedForHeaderName, without a reference to the middleware's assembly.
    private const string HeaderName = "X-Forwarded-For";

    public static bool IsUnprocessed(HttpContext context) =>
        context.Request.Headers.ContainsKey(HeaderName)
        && context.Connection.RemoteIpAddress is { } peer
        && IsLoopbackOrPrivate(peer);

    /// <summary>Loopback, RFC 1918, shared (100.64/10), link-local, and IPv6 unique and link-local addresses.</summary>
    internal static bool IsLoopbackOrPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] == 10
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && (b[1] & 0xC0) == 64)
                || (b[0] == 169 && b[1] == 254);
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && (address.IsIPv6UniqueLocal || address.IsIPv6LinkLocal);
    }
}
