namespace Clerk.AspNetCore;

/// <summary>
/// The cookie that keeps a consenting visitor's Clerk visitor ID. It is always HttpOnly and SameSite=Lax, and Secure
/// on HTTPS requests (as seen after <c>UseForwardedHeaders()</c>, so behind a TLS-terminating proxy too) and whenever
/// <see cref="UseHostPrefix"/> is on.
/// </summary>
public sealed class ClerkVisitorCookieOptions
{
    /// <summary>The default cookie name, <c>clerk_visitor</c>, as in Clerk's documentation.</summary>
    public const string DefaultName = "clerk_visitor";

    /// <summary>The cookie name.</summary>
    /// <value>Defaults to <see cref="DefaultName"/>.</value>
    public string Name { get; set; } = DefaultName;

    /// <summary>How long the cookie lives after it is issued (its <c>Max-Age</c>).</summary>
    /// <value>Defaults to 365 days. Browsers cap cookie lifetimes at 400 days, so more is rejected.</value>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The cookie's <c>Domain</c>, to share the visitor across subdomains (for example <c>.example.com</c>).</summary>
    /// <value>Defaults to <see langword="null"/>: the cookie belongs to the request's host only.</value>
    public string? Domain { get; set; }

    /// <summary>The cookie's <c>Path</c>.</summary>
    /// <value>Defaults to <c>/</c>, so every page of the shop shares one visitor.</value>
    public string Path { get; set; } = "/";

    /// <summary>The prefix browsers reserve for Secure, host-only cookies with <c>Path=/</c>.</summary>
    public const string HostPrefix = "__Host-";

    /// <summary>
    /// Names the cookie <c>__Host-</c> + <see cref="Name"/> (<c>__Host-clerk_visitor</c>), so that browsers accept it only
    /// when it is Secure, has <c>Path=/</c> and no <c>Domain</c>: no subdomain and no plain-HTTP page can set or
    /// overwrite the visitor's ID. The cookie is then always Secure, so the shop must be served over HTTPS.
    /// </summary>
    /// <value>
    /// Defaults to <see langword="false"/>. Requires <see cref="Path"/> <c>/</c> and no <see cref="Domain"/>, checked at
    /// start. A visitor who still has the cookie under the plain name keeps the ID: it moves to the prefixed name.
    /// </value>
    public bool UseHostPrefix { get; set; }
}
