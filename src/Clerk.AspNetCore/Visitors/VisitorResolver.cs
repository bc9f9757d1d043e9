using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>consent → mode → visitor ID for one request. Reads the request only; writes nothing.</summary>
internal sealed class VisitorResolver
{
    /// <summary>Clerk's testing aid: <c>?clerk_visitor=ID</c> forces that visitor ID.</summary>
    internal const string QueryParameter = "clerk_visitor";

    private readonly ConsentEvaluator _consent;
    private readonly CookielessVisitorIdFactory _cookieless;
    private readonly VisitorCookie _cookie;
    private readonly ClerkVisitorMode _undecidedMode;
    private readonly bool _queryParameterAllowed;
    private readonly ILogger _logger;
    private readonly ClerkMetrics _metrics;
    private int _forwardedWarningLogged;

    public VisitorResolver(
        ConsentEvaluator consent,
        CookielessVisitorIdFactory cookieless,
        VisitorCookie cookie,
        IOptions<ClerkOptions> options,
        IHostEnvironment environment,
        ClerkMetrics metrics,
        ILogger<VisitorResolver> logger)
    {
        _consent = consent;
        _cookieless = cookieless;
        _cookie = cookie;
        _undecidedMode = options.Value.UndecidedConsentMode;
        _queryParameterAllowed = options.Value.AllowVisitorQueryParameter || environment.IsDevelopment();
        _logger = logger;
        _metrics = metrics;
    }

    public ValueTask<ClerkVisitorFeature> ResolveAsync(HttpContext context)
    {
        var decision = _consent.Evaluate(context);
        var mode = ConsentEvaluator.ModeFor(decision.Consent, _undecidedMode);

        var cookieValue = _cookie.Read(context);
        var validCookie = cookieValue is not null && VisitorId.IsValid(cookieValue) ? cookieValue : null;
        if (cookieValue is not null && validCookie is null)
        {
            _logger.InvalidVisitorCookie(_cookie.Name, cookieValue.Length);
        }

        if (_queryParameterAllowed && context.Request.QueryString.HasValue
            && TryForcedVisitor(context, decision, HadCookie(context, cookieValue)) is { } forced)
        {
            return ValueTask.FromResult(forced);
        }

        switch (mode)
        {
            case ClerkVisitorMode.Persistent when validCookie is not null:
                // The hot path: the cookie's ID, nothing to write. Persistent mode means consent was granted
                // (ConsentEvaluator.ModeFor). The feature (32 bytes, 48 behind the cookie policy) is the request's only
                // allocation by Clerk.
                // Behind the cookie policy the feature also stands in for the policy's consent feature, so that
                // only a page that changes consent makes the response decide the cookie again.
                return ValueTask.FromResult(_consent.CanWatch(decision)
                    ? new ConsentWatchingVisitorFeature(ClerkConsent.Granted, mode, validCookie, requestHadCookie: true, decision.CookiePolicy!, context)
                    : ClerkVisitorFeature.Returning(validCookie, decision.Source));

            case ClerkVisitorMode.Persistent:
                // With the __Host- prefix newly on, a visitor's cookie under the plain name keeps its ID, which moves
                // to the prefixed name in this response.
                var carried = _cookie.ReadUnprefixed(context) is { } unprefixed && VisitorId.IsValid(unprefixed) ? unprefixed : null;
                if (carried is null && !HadCookie(context, cookieValue))
                {
                    return FirstPersistent(context, decision);
                }

                return ValueTask.FromResult(new ClerkVisitorFeature(decision.Consent, mode, carried ?? VisitorId.NewId(), isNewVisitor: carried is null)
                {
                    ConsentSource = decision.Source,
                    RequestHadCookie = HadCookie(context, cookieValue),
                    WriteCookie = true,
                });

            case ClerkVisitorMode.Cookieless when ForwardedFor.IsUnprocessed(context):
                return ValueTask.FromResult(Withheld(decision, HadCookie(context, cookieValue)));

            case ClerkVisitorMode.Cookieless:
                var hadCookie = HadCookie(context, cookieValue);
                var pending = _cookieless.CreateAsync(context);
                return pending.IsCompletedSuccessfully
                    ? ValueTask.FromResult(Cookieless(context, decision, hadCookie, pending.Result))
                    : AwaitCookieless(context, decision, hadCookie, pending);

            default:
                return ValueTask.FromResult(!HadCookie(context, cookieValue)
                    ? ClerkVisitorFeature.Disabled(decision.Consent, decision.Source)
                    : new ClerkVisitorFeature(decision.Consent, ClerkVisitorMode.Disabled, null, isNewVisitor: false)
                    {
                        ConsentSource = decision.Source,
                        RequestHadCookie = true,
                    });
        }
    }

    /// <summary>
    /// A consenting visitor without any visitor cookie. Usually a new ID and its cookie; but on a cross-site POST the
    /// browser may have withheld a cookie it has (<see cref="CrossSiteRequest"/>), and a visitor who was undecided
    /// until a consent tool changed its mind in the browser keeps the cookieless ID they had today.
    /// </summary>
    private ValueTask<ClerkVisitorFeature> FirstPersistent(HttpContext context, ConsentDecision decision)
    {
        if (CrossSiteRequest.IsUnsafeCrossSite(context.Request))
        {
            // Never replace a cookie we could not see: no cookie at all in this response. The request is identified
            // the way it would be without a cookie, by today's cookieless ID (the ID a transition to consent keeps,
            // below), or by none where undecided visitors get none. A sale carries the visitor stored with the order.
            _logger.VisitorCookieWithheldCrossSite(_cookie.Name);
            if (_undecidedMode != ClerkVisitorMode.Cookieless || ForwardedFor.IsUnprocessed(context))
            {
                return ValueTask.FromResult(ClerkVisitorFeature.Disabled(decision.Consent, decision.Source));
            }

            return FromCookieless(context, decision, static (decision, id) => new(decision.Consent, ClerkVisitorMode.Cookieless, id, false)
            {
                ConsentSource = decision.Source,
            });
        }

        if (!KeepsTodaysCookielessId(context, decision))
        {
            return ValueTask.FromResult(NewPersistent(decision, VisitorId.NewId()));
        }

        return FromCookieless(context, decision, static (decision, id) => NewPersistent(decision, id));
    }

    /// <summary>
    /// Whether a consenting visitor who arrives without a visitor cookie is taken to have been undecided until now (a
    /// consent tool recorded the grant in the browser, by script), so that the cookie keeps today's cookieless ID and
    /// the clicks before consent meet the sale after it. The evidence is the request alone, as the package keeps
    /// nothing about visitors: consent from a source that can say "undecided" (the cookie policy or the app's
    /// resolvers; <see cref="ClerkOptions.DefaultConsent"/> cannot change, so such a visitor never had a cookieless
    /// ID), no <c>Sec-GPC: 1</c> (a resolver granted over a decline signal: no link to the time before), and a
    /// cookieless ID that undecided visitors do get. A grant or decline the server sees is handled in its own response
    /// (the middleware issues the cookie then), so a visitor who declined and then accepted through the shop's forms
    /// already has a fresh random ID; see the README for the case that evidence cannot cover.
    /// </summary>
    private bool KeepsTodaysCookielessId(HttpContext context, ConsentDecision decision) =>
        _undecidedMode == ClerkVisitorMode.Cookieless
        && decision.Source is ConsentSource.CookiePolicy or ConsentSource.Resolver
        && !ConsentEvaluator.IsGlobalPrivacyControlSignal(context.Request.Headers)
        && !ForwardedFor.IsUnprocessed(context);

    private static ClerkVisitorFeature NewPersistent(ConsentDecision decision, string visitorId) =>
        new(decision.Consent, ClerkVisitorMode.Persistent, visitorId, isNewVisitor: true)
        {
            ConsentSource = decision.Source,
            WriteCookie = true,
        };

    private ValueTask<ClerkVisitorFeature> FromCookieless(
        HttpContext context, ConsentDecision decision, Func<ConsentDecision, string, ClerkVisitorFeature> create)
    {
        var pending = _cookieless.CreateAsync(context);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult(create(decision, pending.Result))
            : Await(decision, pending, create);

        static async ValueTask<ClerkVisitorFeature> Await(
            ConsentDecision decision, ValueTask<string> pending, Func<ConsentDecision, string, ClerkVisitorFeature> create) =>
            create(decision, await pending.ConfigureAwait(false));
    }

    private bool HadCookie(HttpContext context, string? cookieValue) =>
        cookieValue is not null || _cookie.ReadUnprefixed(context) is not null;

    /// <summary>
    /// Behind a proxy whose forwarded headers nobody processed, every visitor has the proxy's address: a cookieless ID
    /// would be shared by everyone with the same browser, so Clerk would merge different people. No ID is better.
    /// </summary>
    /// <remarks>
    /// A warning, not an exception, even in Development: local proxies (dev tunnels, Aspire, a container's ingress)
    /// forward from loopback, and throwing would break every page of local development for a problem that only costs
    /// data in production. The warning names the fix, and the page shows <c>visitor: null</c>.
    /// </remarks>
    private ClerkVisitorFeature Withheld(ConsentDecision decision, bool requestHadCookie)
    {
        if (Interlocked.Exchange(ref _forwardedWarningLogged, 1) == 0)
        {
            _logger.ForwardedHeadersNotProcessed();
        }

        _logger.CookielessIdWithheld("the request came through a proxy whose X-Forwarded-For was not processed (event 9 says how to fix it).");
        _metrics.CookielessWithheld("unprocessed_forwarded_for");
        return requestHadCookie
            ? new ClerkVisitorFeature(decision.Consent, ClerkVisitorMode.Disabled, null, isNewVisitor: false)
            {
                ConsentSource = decision.Source,
                RequestHadCookie = true,
            }
            : ClerkVisitorFeature.Disabled(decision.Consent, decision.Source);
    }

    private ClerkVisitorFeature Cookieless(HttpContext context, ConsentDecision decision, bool requestHadCookie, string visitorId)
    {
        // Without a cookie to delete, the response has nothing to do unless consent is given during the request; behind
        // the cookie policy that is seen as it happens (as for a returning visitor, above).
        if (!requestHadCookie && _consent.CanWatch(decision))
        {
            return new ConsentWatchingVisitorFeature(decision.Consent, ClerkVisitorMode.Cookieless, visitorId, requestHadCookie: false, decision.CookiePolicy!, context);
        }

        return new ClerkVisitorFeature(decision.Consent, ClerkVisitorMode.Cookieless, visitorId, false)
        {
            ConsentSource = decision.Source,
            RequestHadCookie = requestHadCookie,
        };
    }

    private async ValueTask<ClerkVisitorFeature> AwaitCookieless(HttpContext context, ConsentDecision decision, bool requestHadCookie, ValueTask<string> pending) =>
        Cookieless(context, decision, requestHadCookie, await pending.ConfigureAwait(false));

    private ClerkVisitorFeature? TryForcedVisitor(HttpContext context, ConsentDecision decision, bool requestHadCookie)
    {
        if (!context.Request.Query.TryGetValue(QueryParameter, out var values))
        {
            return null;
        }

        if (decision.Consent == ClerkConsent.Denied)
        {
            _logger.VisitorQueryParameterIgnored("the visitor declined tracking.");
            return null;
        }

        var forced = values.Count == 1 ? values[0] : null;
        if (forced is null || !VisitorId.IsValid(forced))
        {
            _logger.VisitorQueryParameterIgnored("the value is not 1-32 ASCII letters or digits.");
            return null;
        }

        if (decision.Consent == ClerkConsent.Undecided)
        {
            // No consent, no cookie: the forced ID stands in for the cookieless one, for this request only (the link's
            // next page needs the parameter again). Where undecided visitors get no ID at all, neither does this one.
            if (_undecidedMode != ClerkVisitorMode.Cookieless)
            {
                _logger.VisitorQueryParameterIgnored("the visitor has not consented and undecided visitors get no visitor ID (UndecidedConsentMode is Disabled).");
                return null;
            }

            _logger.VisitorQueryParameterApplied();
            return new ClerkVisitorFeature(decision.Consent, ClerkVisitorMode.Cookieless, forced, false)
            {
                ConsentSource = decision.Source,
                RequestHadCookie = requestHadCookie,
            };
        }

        _logger.VisitorQueryParameterApplied();
        return new ClerkVisitorFeature(decision.Consent, ClerkVisitorMode.Persistent, forced, false)
        {
            ConsentSource = decision.Source,
            RequestHadCookie = requestHadCookie,
            WriteCookie = !string.Equals(forced, _cookie.Read(context), StringComparison.Ordinal) || _cookie.ReadUnprefixed(context) is not null,
        };
    }
}
