namespace Clerk.AspNetCore;

/// <summary>
/// The consent category under which the shop lists Clerk in its consent tool; the visitor must accept it for a
/// persistent visitor ID. Each tool names it its own way:
/// <list type="table">
/// <listheader><term>category</term><description>Cookiebot / OneTrust / CookieYes</description></listheader>
/// <item><term><see cref="Statistics"/></term><description><c>statistics</c> / <c>C0002</c> (performance) / <c>analytics</c></description></item>
/// <item><term><see cref="Marketing"/></term><description><c>marketing</c> / <c>C0004</c> (targeting) / <c>advertisement</c></description></item>
/// <item><term><see cref="Performance"/></term><description><c>statistics</c> (Cookiebot has no performance category) / <c>C0002</c> / <c>performance</c></description></item>
/// </list>
/// </summary>
public enum ClerkConsentCategory
{
    /// <summary>Statistics or analytics.</summary>
    Statistics,

    /// <summary>Marketing, targeting or advertising.</summary>
    Marketing,

    /// <summary>Performance.</summary>
    Performance,
}
