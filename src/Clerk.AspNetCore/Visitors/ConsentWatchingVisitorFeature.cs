using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// The visitor of a request whose consent comes from ASP.NET Core's cookie policy, which stands in for the policy's
/// <see cref="ITrackingConsentFeature"/> for the rest of the request: every member is passed on, and a
/// <see cref="GrantConsent"/> or <see cref="WithdrawConsent"/> has the visitor cookie decided again as the response
/// starts (<see cref="VisitorResponseCookie"/>).
/// </summary>
/// <remarks>
/// This is how a returning visitor behind a cookie policy costs no response callback (the server allocates for each
/// one): only a request in which the page actually changes consent registers one. Two references on top of the
/// visitor feature, 48 bytes in all. Code that took the policy's feature before <c>UseClerkTracking()</c> ran and
/// changes consent through it later is not seen; the README says to change it through
/// <c>HttpContext.Features.Get&lt;ITrackingConsentFeature&gt;()</c>, as the framework's own samples do. The callback is
/// registered when consent changes, so it runs before the start callbacks the page registered earlier (they run last
/// registered first); one of those that rewrites <c>Cache-Control</c> after it can loosen what
/// <see cref="VisitorCacheControl"/> set, as any code could after the response starts deciding.
/// Like the framework's features, this one belongs to its request: an app must not keep it past the request.
/// </remarks>
internal sealed class ConsentWatchingVisitorFeature : ClerkVisitorFeature, ITrackingConsentFeature
{
    private readonly ITrackingConsentFeature _policy;

    // Until the page changes consent: then the response callback is registered once, and the context is let go.
    private HttpContext? _context;

    public ConsentWatchingVisitorFeature(
        ClerkConsent consent, ClerkVisitorMode mode, string visitorId, bool requestHadCookie, ITrackingConsentFeature policy, HttpContext context)
        : base(consent, mode, visitorId, isNewVisitor: false)
    {
        ConsentSource = ConsentSource.CookiePolicy;
        RequestHadCookie = requestHadCookie;
        _policy = policy;
        _context = context;
    }

    public bool IsConsentNeeded => _policy.IsConsentNeeded;

    public bool HasConsent => _policy.HasConsent;

    public bool CanTrack => _policy.CanTrack;

    public void GrantConsent()
    {
        _policy.GrantConsent();
        DecideCookieAtResponseStart();
    }

    public void WithdrawConsent()
    {
        _policy.WithdrawConsent();
        DecideCookieAtResponseStart();
    }

    public string CreateConsentCookie() => _policy.CreateConsentCookie();

    // Never throws into the page's consent call: without the request's services (a context the app made itself, or a
    // call after the request) the cookie simply follows on the next request.
    private void DecideCookieAtResponseStart()
    {
        if (_context is { } context
            && !context.Response.HasStarted
            && context.RequestServices?.GetService<VisitorResponseCookie>() is { } responseCookie)
        {
            _context = null;
            responseCookie.DecideAtResponseStart(context);
        }
    }
}
