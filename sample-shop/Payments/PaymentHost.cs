using System.Net;

namespace SampleShop.Payments;

/// <summary>
/// Where the simulated payment provider lives: another site, served by this same shop under another host name, so
/// that its return to the shop is a cross-site POST, as from a real hosted payment page or 3-D Secure.
/// <c>Shop:PaymentHost</c> (<c>host</c> or <c>host:port</c>) names it; without it, the other of the two loopback names:
/// <c>localhost</c> for a shop visited on <c>127.0.0.1</c> (or <c>[::1]</c>) and <c>127.0.0.1</c> for a shop visited on
/// <c>localhost</c>, on the request's scheme and port. A shop on any other host name without the setting serves the
/// payment page on its own host: it works, but the return is then same-site and shows nothing about cookies.
/// </summary>
public static class PaymentHost
{
    public const string Setting = "Shop:PaymentHost";

    /// <summary>The payment provider's origin (<c>scheme://host[:port]</c>) for a shop visited as <paramref name="request"/>.</summary>
    public static string OriginFor(HttpRequest request, IConfiguration configuration)
    {
        var configured = configuration[Setting];
        HostString host;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            host = new HostString(configured.Trim());
        }
        else
        {
            host = OtherLoopbackName(request.Host);
        }

        return $"{request.Scheme}://{host.ToUriComponent()}";
    }

    /// <summary><c>localhost</c> ↔ <c>127.0.0.1</c> (and <c>[::1]</c> → <c>localhost</c>), keeping the port; any other host unchanged.</summary>
    public static HostString OtherLoopbackName(HostString shop)
    {
        var name = shop.Host;
        string? other = null;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            other = "127.0.0.1";
        }
        else if (IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))
        {
            other = "localhost";
        }

        if (other is null)
        {
            return shop;
        }

        return shop.Port is { } port ? new HostString(other, port) : new HostString(other);
    }
}
