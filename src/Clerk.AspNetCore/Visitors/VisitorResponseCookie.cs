using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Sets or deletes the visitor cookie as the response starts, according to the consent that holds then, so that a
/// page that grants or withdraws consent has the cookie follow in its own response. A failure is logged and counted
/// and the response goes on without the change, except in Development, where it is thrown.
/// </summary>
internal sealed class VisitorResponseCookie
{
    private const string CookieStage = "visitor_cookie";

    private readonly ConsentEvaluator _consent;
    private readonly VisitorCookie _cookie;
    private readonly ClerkMetrics _metrics;
    private readonly ILogger _logger;
    private readonly bool _isDevelopment;

    // Made once: registering it makes no closure, the request's context is its state.
    private readonly Func<object, Task> _onResponseStarting;

    public VisitorResponseCookie(
        ConsentEvaluator consent,
        VisitorCookie cookie,
        ClerkMetrics metrics,
        IHostEnvironment environment,
        ILogger<VisitorResponseCookie> logger)
    {
        _consent = consent;
        _cookie = cookie;
        _metrics = metrics;
        _logger = logger;
        _isDevelopment = environment.IsDevelopment();
        _onResponseStarting = OnResponseStarting;
    }

    /// <summary>Decides the visitor cookie of <paramref name="context"/>'s response when it starts.</summary>
    public void DecideAtResponseStart(HttpContext context) => context.Response.OnStarting(_onResponseStarting, context);

    private Task OnResponseStarting(object state)
    {
        var context = (HttpContext)state;
        try
        {
            if (context.Features.Get<IClerkVisitorFeature>() is ClerkVisitorFeature visitor)
            {
                Apply(context, visitor);
            }
        }
        catch (Exception exception) when (Contain(exception))
        {
        }

        return Task.CompletedTask;
    }

    private void Apply(HttpContext context, ClerkVisitorFeature visitor)
    {
        // Consent is asked again: the page may have granted or withdrawn it during this request.
        var now = _consent.Evaluate(context);
        if (now.Consent == ClerkConsent.Granted)
        {
            var visitorId = visitor.Mode == ClerkVisitorMode.Persistent
                ? (visitor.WriteCookie ? visitor.VisitorId : null)

                // Consent was given during this request. The cookie keeps the ID the visitor had in it, today's
                // cookieless ID, so that the clicks before consent and the sale after it share a visitor. A visitor
                // who had none (declined, or undecided where undecided visitors get no ID, when the request began)
                // gets a new random ID, now: the next request could not tell a decline from undecided, and must not
                // derive the cookieless ID of the time before the decline.
                : visitor.VisitorId ?? VisitorId.NewId();
            if (visitorId is null)
            {
                return;
            }

            // The rule for payment returns: never replace a cookie we could not see.
            if (!visitor.RequestHadCookie && CrossSiteRequest.IsUnsafeCrossSite(context.Request))
            {
                return;
            }

            _cookie.Issue(context, visitorId);
            VisitorCacheControl.PreventStorage(context);
            _logger.VisitorCookieIssued(_cookie.Name);
        }
        else if (visitor.RequestHadCookie)
        {
            _cookie.Delete(context);
            VisitorCacheControl.PreventStorage(context);
            _logger.VisitorCookieDeleted(_cookie.Name, now.Consent, now.Source);
        }
    }

    /// <summary>Exception filter: log and count, then contain the failure — except in Development, where it is thrown.</summary>
    private bool Contain(Exception exception)
    {
        _logger.TrackingFailed(CookieStage, exception);
        _metrics.TrackingFailed(CookieStage);
        return !_isDevelopment;
    }
}
