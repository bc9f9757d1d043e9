using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>A consent and the source that decided it; the cookie policy's feature when it decided.</summary>
internal readonly record struct ConsentDecision(ClerkConsent Consent, ConsentSource Source, ITrackingConsentFeature? CookiePolicy = null);

/// <summary>
/// Asks the consent sources in order: the app's resolvers, then Global Privacy Control, then ASP.NET Core's cookie
/// policy; with none of them, <see cref="ClerkOptions.DefaultConsent"/>.
/// </summary>
internal sealed class ConsentEvaluator
{
    private const string GpcHeader = "Sec-GPC";

    private readonly IClerkConsentResolver[] _resolvers;
    private readonly bool _honorGpc;
    private readonly ClerkConsent _defaultConsent;
    private readonly bool _cookiePolicyChecksConsent;

    // The app's own resolvers may read what the page records during the request; a consent tool's resolver reads only
    // the request's cookie and headers, which cannot change, so it alone never makes consent worth asking again.
    private readonly bool _resolversMayChange;

    public ConsentEvaluator(
        IEnumerable<IClerkConsentResolver> resolvers,
        IOptions<ClerkOptions> options,
        IOptions<CookiePolicyOptions> cookiePolicyOptions)
    {
        _resolvers = resolvers.ToArray();
        _resolversMayChange = _resolvers.Any(r => r is not ConsentToolResolver);
        _honorGpc = options.Value.HonorGlobalPrivacyControl;
        _defaultConsent = options.Value.DefaultConsent;
        _cookiePolicyChecksConsent = cookiePolicyOptions.Value.CheckConsentNeeded is not null;
    }

    public ConsentDecision Evaluate(HttpContext context)
    {
        foreach (var resolver in _resolvers)
        {
            if (resolver.ResolveConsent(context) is { } consent)
            {
                if (!Enum.IsDefined(consent))
                {
                    throw new InvalidOperationException(
                        $"{resolver.GetType().FullName}.{nameof(IClerkConsentResolver.ResolveConsent)} returned {(int)consent}, which is not a {nameof(ClerkConsent)} value. Return Granted, Denied, Undecided, or null for no opinion.");
                }

                return new(consent, ConsentSource.Resolver);
            }
        }

        if (_honorGpc && IsGlobalPrivacyControlSignal(context.Request.Headers))
        {
            return new(ClerkConsent.Denied, ConsentSource.GlobalPrivacyControl);
        }

        // The indexer rather than Get<T>, a generic virtual call (ClerkTrackingMiddleware.Publish).
        if (context.Features[typeof(ITrackingConsentFeature)] is ITrackingConsentFeature tracking)
        {
            // CanTrack is "consent not needed, or given"; consent needed and not (yet) given is undecided, not denied.
            return new(tracking.CanTrack ? ClerkConsent.Granted : ClerkConsent.Undecided, ConsentSource.CookiePolicy, tracking);
        }

        if (_cookiePolicyChecksConsent)
        {
            // The app asks for consent but UseCookiePolicy() has not run yet: never assume consent then.
            return new(ClerkConsent.Undecided, ConsentSource.CookiePolicyNotRun);
        }

        return new(_defaultConsent, ConsentSource.Default);
    }

    /// <summary>The GPC specification defines exactly one signal value, <c>1</c>.</summary>
    internal static bool IsGlobalPrivacyControlSignal(IHeaderDictionary headers) =>
        headers.TryGetValue(GpcHeader, out var values)
        && values.Count == 1
        && values[0].AsSpan().Trim().SequenceEqual("1");

    /// <summary>
    /// Whether consent decided by <paramref name="source"/> may be different when the response starts. The cookie
    /// policy's can (<c>GrantConsent</c>/<c>WithdrawConsent</c> on <see cref="ITrackingConsentFeature"/>), and so can
    /// any answer while the app has resolvers of its own: a resolver may read what the page records during the request
    /// (a consent platform's decline in <c>HttpContext.Items</c>, say), and a resolver without an opinion at first may
    /// have one later, outranking every other source. GPC, the default and the built-in consent tools' resolvers read
    /// the request alone.
    /// </summary>
    public bool CanChangeDuringRequest(ConsentSource source) =>
        _resolversMayChange || source is ConsentSource.CookiePolicy or ConsentSource.CookiePolicyNotRun;

    /// <summary>
    /// Whether a change of <paramref name="decision"/> during the request can be seen as it happens, so that the
    /// response need not ask again unless it does: consent from the cookie policy, whose feature can be stood in for
    /// (<see cref="ConsentWatchingVisitorFeature"/>), while the app has no resolvers of its own, which could change
    /// their answer unseen.
    /// </summary>
    public bool CanWatch(ConsentDecision decision) => decision.CookiePolicy is not null && !_resolversMayChange;

    public static ClerkVisitorMode ModeFor(ClerkConsent consent, ClerkVisitorMode undecidedMode) => consent switch
    {
        ClerkConsent.Granted => ClerkVisitorMode.Persistent,
        ClerkConsent.Undecided => undecidedMode,
        _ => ClerkVisitorMode.Disabled,
    };
}
