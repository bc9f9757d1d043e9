using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>Reads, issues and deletes the visitor cookie with the attributes the options prescribe.</summary>
internal sealed class VisitorCookie
{
    private readonly ClerkVisitorCookieOptions _cookie;
    private readonly string _name;

    // With the __Host- prefix, the plain name is where visitors from before the prefix was switched on keep their ID.
    private readonly string? _unprefixedName;

    public VisitorCookie(IOptions<ClerkOptions> options)
    {
        _cookie = options.Value.VisitorCookie;
        _name = _cookie.UseHostPrefix ? ClerkVisitorCookieOptions.HostPrefix + _cookie.Name : _cookie.Name;
        _unprefixedName = _cookie.UseHostPrefix ? _cookie.Name : null;
    }

    /// <summary>The cookie's name as the browser sees it, prefix included.</summary>
    public string Name => _name;

    public string? Read(HttpContext context) => context.Request.Cookies[_name];

    /// <summary>The cookie under its plain name while <see cref="ClerkVisitorCookieOptions.UseHostPrefix"/> is on; else null.</summary>
    public string? ReadUnprefixed(HttpContext context) =>
        _unprefixedName is null ? null : context.Request.Cookies[_unprefixedName];

    public void Issue(HttpContext context, string visitorId)
    {
        context.Response.Cookies.Append(_name, visitorId, CreateOptions(context, _cookie.Lifetime));
        DeleteUnprefixed(context);
    }

    public void Delete(HttpContext context)
    {
        context.Response.Cookies.Delete(_name, CreateOptions(context, maxAge: null));
        DeleteUnprefixed(context);
    }

    // The ID moved to the prefixed name (or consent is gone): the old cookie must not outlive it.
    private void DeleteUnprefixed(HttpContext context)
    {
        if (_unprefixedName is not null && context.Request.Cookies.ContainsKey(_unprefixedName))
        {
            context.Response.Cookies.Delete(_unprefixedName, CreateOptions(context, maxAge: null));
        }
    }

    private CookieOptions CreateOptions(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,

        // Request.IsHttps is the forwarded scheme once UseForwardedHeaders() has run. A __Host- cookie is rejected by
        // browsers unless Secure, even when it is being deleted.
        Secure = _cookie.UseHostPrefix || context.Request.IsHttps,
        Path = _cookie.Path,
        Domain = _cookie.Domain,
        MaxAge = maxAge,

        // Consent was already checked by our own chain (which includes the cookie policy). Marked non-essential, the
        // cookie policy would silently drop it whenever an app resolver granted consent the policy does not know
        // about, and the visitor ID would then change on every request.
        IsEssential = true,
    };
}
