using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Publishes the request's <see cref="IClerkVisitorFeature"/>, and as the response starts sets or deletes the
/// visitor cookie according to the consent that holds then (so a page that withdraws consent loses the cookie in its
/// own response). No network, no blocking I/O; a failure is logged and counted and the request goes on without a
/// visitor, except in Development, where it is thrown.
/// </summary>
internal sealed class ClerkTrackingMiddleware
{
    private const string ResolveStage = "visitor_resolution";
    private const string CookieStage = "visitor_cookie";

    private readonly RequestDelegate _next;
    private readonly VisitorResolver _resolver;
    private readonly ConsentEvaluator _consent;
    private readonly VisitorCookie _cookie;
    private readonly ClerkMetrics _metrics;
    private readonly ILogger _logger;
    private readonly bool _isDevelopment;
    private readonly Func<object, Task> _onResponseStarting;
    private int _cookiePolicyWarningLogged;

    public ClerkTrackingMiddleware(
        RequestDelegate next,
        VisitorResolver resolver,
        ConsentEvaluator consent,
        VisitorCookie cookie,
        ClerkMetrics metrics,
        IHostEnvironment environment,
        ILogger<ClerkTrackingMiddleware> logger)
    {
        _next = next;
        _resolver = resolver;
        _consent = consent;
        _cookie = cookie;
        _metrics = metrics;
        _logger = logger;
        _isDevelopment = environment.IsDevelopment();
        _onResponseStarting = OnResponseStarting;
    }

    public Task InvokeAsync(HttpContext context)
    {
        ValueTask<ClerkVisitorFeature> pending;
        try
        {
            pending = _resolver.ResolveAsync(context);
            if (pending.IsCompletedSuccessfully)
            {
                Publish(context, pending.Result);
                return _next(context);
            }
        }
        catch (Exception exception) when (Contain(context, ResolveStage, exception))
        {
            return _next(context);
        }

        return AwaitResolution(context, pending);
    }

    private async Task AwaitResolution(HttpContext context, ValueTask<ClerkVisitorFeature> pending)
    {
        try
        {
            Publish(context, await pending.ConfigureAwait(false));
        }
        catch (Exception exception) when (Contain(context, ResolveStage, exception))
        {
        }

        await _next(context).ConfigureAwait(false);
    }

    private void Publish(HttpContext context, ClerkVisitorFeature visitor)
    {
        context.Features.Set<IClerkVisitorFeature>(visitor);
        _metrics.VisitorResolved(visitor.Mode);
        _logger.VisitorResolved(visitor.Mode, visitor.Consent, visitor.ConsentSource, visitor.IsNewVisitor);

        if (visitor.ConsentSource == ConsentSource.CookiePolicyNotRun)
        {
            WarnCookiePolicyNotRun();
        }

        // Only when the response may have to touch the cookie: a new ID to store, a stored one that has to go, a
        // stored one whose consent can still change during this request (the cookie policy's, or any while the app
        // has resolvers), or a visitor without consent yet who may give it during this request (the banner's POST).
        // A returning visitor whose consent came from GPC or the default, with no resolvers, registers nothing. The
        // registration makes no closure: a delegate made once, the context as its state.
        if (visitor.WriteCookie
            || (visitor.Mode == ClerkVisitorMode.Persistent
                ? visitor.RequestHadCookie && _consent.CanChangeDuringRequest(visitor.ConsentSource)
                : visitor.RequestHadCookie || _consent.CanChangeDuringRequest(visitor.ConsentSource)))
        {
            context.Response.OnStarting(_onResponseStarting, context);
        }
    }

    private Task OnResponseStarting(object state)
    {
        var context = (HttpContext)state;
        try
        {
            if (context.Features.Get<IClerkVisitorFeature>() is ClerkVisitorFeature visitor)
            {
                ApplyCookie(context, visitor);
            }
        }
        catch (Exception exception) when (Contain(context, CookieStage, exception))
        {
        }

        return Task.CompletedTask;
    }

    private void ApplyCookie(HttpContext context, ClerkVisitorFeature visitor)
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
    private bool Contain(HttpContext context, string stage, Exception exception)
    {
        _logger.TrackingFailed(stage, exception);
        _metrics.TrackingFailed(stage);
        if (_isDevelopment)
        {
            return false;
        }

        if (stage == ResolveStage)
        {
            context.Features.Set<IClerkVisitorFeature>(ClerkVisitorFeature.Failed);
        }

        return true;
    }

    private void WarnCookiePolicyNotRun()
    {
        if (_isDevelopment)
        {
            throw new InvalidOperationException(
                "The app configures a cookie policy that asks for consent (CookiePolicyOptions.CheckConsentNeeded), but UseCookiePolicy() had not run when UseClerkTracking() did, so Clerk cannot see the visitor's consent. Call app.UseCookiePolicy() before app.UseClerkTracking() in Program.cs.");
        }

        if (Interlocked.Exchange(ref _cookiePolicyWarningLogged, 1) == 0)
        {
            _logger.CookiePolicyNotRun();
        }
    }
}
