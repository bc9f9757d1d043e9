using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Publishes the request's <see cref="IClerkVisitorFeature"/>, and has the visitor cookie set or deleted as the
/// response starts (<see cref="VisitorResponseCookie"/>) when the response may have to touch it, according to the
/// consent that holds then (so a page that withdraws consent loses the cookie in its own response). No network, no
/// blocking I/O; a failure is logged and counted and the request goes on without a visitor, except in Development,
/// where it is thrown.
/// </summary>
internal sealed class ClerkTrackingMiddleware
{
    private const string ResolveStage = "visitor_resolution";

    private readonly RequestDelegate _next;
    private readonly VisitorResolver _resolver;
    private readonly ConsentEvaluator _consent;
    private readonly VisitorResponseCookie _responseCookie;
    private readonly ClerkMetrics _metrics;
    private readonly ILogger _logger;
    private readonly bool _isDevelopment;
    private int _cookiePolicyWarningLogged;

    public ClerkTrackingMiddleware(
        RequestDelegate next,
        VisitorResolver resolver,
        ConsentEvaluator consent,
        VisitorResponseCookie responseCookie,
        ClerkMetrics metrics,
        IHostEnvironment environment,
        ILogger<ClerkTrackingMiddleware> logger)
    {
        _next = next;
        _resolver = resolver;
        _consent = consent;
        _responseCookie = responseCookie;
        _metrics = metrics;
        _logger = logger;
        _isDevelopment = environment.IsDevelopment();
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
        // The indexer, not Set<T>: a generic method called through the IFeatureCollection interface is a generic
        // virtual call, which the runtime resolves through a lookup on every request.
        context.Features[typeof(IClerkVisitorFeature)] = visitor;
        _metrics.VisitorResolved(visitor.Mode);
        _logger.VisitorResolved(visitor.Mode, visitor.Consent, visitor.ConsentSource, visitor.IsNewVisitor);

        if (visitor.ConsentSource == ConsentSource.CookiePolicyNotRun)
        {
            WarnCookiePolicyNotRun();
        }

        if (visitor is ConsentWatchingVisitorFeature watching)
        {
            // Consent from the cookie policy: the feature stands in for the policy's, and the response decides the
            // cookie again only if the page grants or withdraws consent through it.
            context.Features[typeof(ITrackingConsentFeature)] = watching;
            return;
        }

        // Only when the response may have to touch the cookie: a new ID to store, a stored one that has to go, a
        // stored one whose consent can still change during this request (any while the app has resolvers), or a
        // visitor without consent yet who may give it during this request. A returning visitor whose consent came
        // from GPC or the default, with no resolvers, registers nothing.
        if (visitor.WriteCookie
            || (visitor.Mode == ClerkVisitorMode.Persistent
                ? visitor.RequestHadCookie && _consent.CanChangeDuringRequest(visitor.ConsentSource)
                : visitor.RequestHadCookie || _consent.CanChangeDuringRequest(visitor.ConsentSource)))
        {
            _responseCookie.DecideAtResponseStart(context);
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
