using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Recognizes a request on which the browser did not send the visitor cookie although it may have one: a cross-site
/// request other than GET or HEAD. The cookie is <c>SameSite=Lax</c>, which browsers send cross-site only with
/// top-level GET navigations; a payment provider's return (3-D Secure, a hosted payment page) comes back as a
/// cross-site form POST without it. A new cookie issued in that response would replace the visitor's real one, and
/// the click before and the sale after would no longer share a visitor.
/// </summary>
/// <remarks>
/// Cross-site is either signal: <c>Sec-Fetch-Site: cross-site</c>, or an <c>Origin</c> whose host is not the request's
/// (also <c>Origin: null</c>, which browsers send after a cross-site redirect, and an Origin that does not parse).
/// Either errs towards "cross-site": the cost of that is only a cookie issued one request later, while the cost of the
/// other mistake is a lost visitor. Ports are not compared, as cookies do not keep to ports. A request with neither
/// header (older browsers, scripts) is taken as same-site. A sibling subdomain (<c>pay.shop.example</c>) counts as
/// another host here although it is the same site; that only defers the cookie to the next request too.
/// </remarks>
internal static class CrossSiteRequest
{
    private const string FetchSiteHeader = "Sec-Fetch-Site";

    /// <summary>Whether the request is not GET or HEAD and comes from another site, as its headers tell.</summary>
    public static bool IsUnsafeCrossSite(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && IsCrossSite(request);

    internal static bool IsCrossSite(HttpRequest request)
    {
        foreach (var site in request.Headers[FetchSiteHeader])
        {
            // Contains, not equals: a malformed list ("same-origin, cross-site") errs towards cross-site too.
            if (site is not null && site.Contains("cross-site", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        var origins = request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(origins))
        {
            return false;
        }

        var host = request.Host.Host;
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var from)
                || !string.Equals(from.Host, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
