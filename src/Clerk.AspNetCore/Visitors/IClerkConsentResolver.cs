using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore;

/// <summary>
/// Tells Clerk what the current visitor consented to, for shops whose consent lives outside ASP.NET Core's
/// cookie policy (a consent management platform's cookie, a user profile setting, ...).
/// </summary>
/// <remarks>
/// Resolvers are asked in registration order before Global Privacy Control and before ASP.NET Core's
/// <see cref="Microsoft.AspNetCore.Http.Features.ITrackingConsentFeature"/>; the first one with an opinion decides.
/// Register one with <c>services.AddClerkConsentResolver&lt;T&gt;()</c>. Resolvers are singletons and run on every
/// request, so they must be fast and must not do network or blocking I/O: read a cookie, a header or a claim.
/// They may run twice per request: once when the request starts, and again when the response starts, so that a
/// consent change made by the page itself is honoured in the same response.
/// </remarks>
public interface IClerkConsentResolver
{
    /// <summary>
    /// Returns the visitor's consent, or <see langword="null"/> when this resolver has no opinion and the next
    /// consent source should decide.
    /// </summary>
    /// <param name="context">The current request.</param>
    /// <returns>The consent, or <see langword="null"/> for no opinion.</returns>
    ClerkConsent? ResolveConsent(HttpContext context);
}
