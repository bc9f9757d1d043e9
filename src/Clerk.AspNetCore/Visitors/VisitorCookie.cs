using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>Reads, issues and deletes the visitor cookie with the attributes the options prescribe.</summary>
internal sealed class VisitorCookie(IOptions<ClerkOptions> options)
{
    private readonly ClerkVisitorCookieOptions _cookie = options.Value.VisitorCookie;

    public string Name => _cookie.Name;

    public string? Read(HttpContext context) => context.Request.Cookies[_cookie.Name];

    public void Issue(HttpContext context, string visitorId) =>
        context.Response.Cookies.Append(_cookie.Name, visitorId, CreateOptions(context, _cookie.Lifetime));

    public void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(_cookie.Name, CreateOptions(context, maxAge: null));

    private CookieOptions CreateOptions(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = _cookie.Path,
        Domain = _cookie.Domain,
        MaxAge = maxAge,

        // Consent was already checked by our own chain (which includes the cookie policy). Marked non-essential, the
        // cookie policy would silently drop it whenever an app resolver granted consent the policy does not know
        // about, and the visitor ID would then change on every request.
        IsEssential = true,
    };
}
