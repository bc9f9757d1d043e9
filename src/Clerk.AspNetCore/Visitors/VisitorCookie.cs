using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Clerk.AspNetCore.Visitors;

/// <summary>Reads, issues and deletes the visitor cookie with the attributes the options prescribe.</summary>
internal sealed class VisitorCookie
{
    private readonly ClerkVisitorCookieOptions _cookie;
    private readonly string _name;

    // With the __Host- prefix, the plain name is where visitors from before the prefix was switched on keep their ID.
    private readonly string? _unprefixedName;

    // The Set-Cookie header around the ID, as the framework formats it, with and without Secure (below).
    private readonly (string Before, string After) _plainHeader;
    private readonly (string Before, string After) _secureHeader;

    public VisitorCookie(IOptions<ClerkOptions> options)
    {
        _cookie = options.Value.VisitorCookie;
        _name = _cookie.UseHostPrefix ? ClerkVisitorCookieOptions.HostPrefix + _cookie.Name : _cookie.Name;
        _unprefixedName = _cookie.UseHostPrefix ? _cookie.Name : null;
        _plainHeader = HeaderAround(CreateOptions(secure: false, _cookie.Lifetime));
        _secureHeader = HeaderAround(CreateOptions(secure: true, _cookie.Lifetime));
    }

    /// <summary>The cookie's name as the browser sees it, prefix included.</summary>
    public string Name => _name;

    public string? Read(HttpContext context) => context.Request.Cookies[_name];

    /// <summary>The cookie under its plain name while <see cref="ClerkVisitorCookieOptions.UseHostPrefix"/> is on; else null.</summary>
    public string? ReadUnprefixed(HttpContext context) =>
        _unprefixedName is null ? null : context.Request.Cookies[_unprefixedName];

    public void Issue(HttpContext context, string visitorId)
    {
        if (HasFrameworkCookies(context))
        {
            // What Response.Cookies.Append would write, without building the header anew for every new visitor: the
            // ID is 1–32 letters and digits, which the framework's escaping leaves as they are.
            var (before, after) = IsSecure(context) ? _secureHeader : _plainHeader;
            var headers = context.Response.Headers;
            headers.SetCookie = StringValues.Concat(headers.SetCookie, string.Concat(before, visitorId, after));
        }
        else
        {
            // Another cookies feature (the cookie policy's, an app's own) may apply rules of its own: go through it.
            context.Response.Cookies.Append(_name, visitorId, CreateOptions(IsSecure(context), _cookie.Lifetime));
        }

        DeleteUnprefixed(context);
    }

    /// <summary>
    /// Whether the response's cookies are the framework's own, which only format the header: no feature yet (it is made
    /// on first use) or <see cref="ResponseCookiesFeature"/> itself.
    /// </summary>
    private static bool HasFrameworkCookies(HttpContext context) =>
        context.Features[typeof(IResponseCookiesFeature)] is not { } feature || feature.GetType() == typeof(ResponseCookiesFeature);

    private (string Before, string After) HeaderAround(CookieOptions options)
    {
        const string Marker = "0";
        var header = options.CreateCookieHeader(_name, Marker).ToString();
        var before = _name + "=";
        if (!header.StartsWith(before + Marker + ";", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Unexpected Set-Cookie format '{header}'.");
        }

        return (before, header[(before.Length + Marker.Length)..]);
    }

    public void Delete(HttpContext context)
    {
        context.Response.Cookies.Delete(_name, CreateOptions(IsSecure(context), maxAge: null));
        DeleteUnprefixed(context);
    }

    // The ID moved to the prefixed name (or consent is gone): the old cookie must not outlive it.
    private void DeleteUnprefixed(HttpContext context)
    {
        if (_unprefixedName is not null && context.Request.Cookies.ContainsKey(_unprefixedName))
        {
            context.Response.Cookies.Delete(_unprefixedName, CreateOptions(IsSecure(context), maxAge: null));
        }
    }

    // Request.IsHttps is the forwarded scheme once UseForwardedHeaders() has run. A __Host- cookie is rejected by
    // browsers unless Secure, even when it is being deleted.
    private bool IsSecure(HttpContext context) => _cookie.UseHostPrefix || context.Request.IsHttps;

    private CookieOptions CreateOptions(bool secure, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = secure,
        Path = _cookie.Path,
        Domain = _cookie.Domain,
        MaxAge = maxAge,

        // Consent was already checked by our own chain (which includes the cookie policy). Marked non-essential, the
        // cookie policy would silently drop it whenever an app resolver granted consent the policy does not know
        // about, and the visitor ID would then change on every request.
        IsEssential = true,
    };
}
