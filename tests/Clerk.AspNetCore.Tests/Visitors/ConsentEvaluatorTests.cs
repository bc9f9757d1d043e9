using Clerk.AspNetCore.Tests.TestSupport;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Tests.Visitors;

public sealed class ConsentEvaluatorTests
{
    [Fact]
    public void Evaluate_NoConsentSource_ReturnsUndecided()
    {
        // Privacy-safe by default: without any consent source, nobody has consented.
        var decision = Evaluator().Evaluate(new DefaultHttpContext());

        Assert.Equal(new ConsentDecision(ClerkConsent.Undecided, ConsentSource.Default), decision);
    }

    [Theory]
    [InlineData(ClerkConsent.Granted)]
    [InlineData(ClerkConsent.Denied)]
    public void Evaluate_NoConsentSource_ReturnsConfiguredDefault(ClerkConsent configured)
    {
        var decision = Evaluator(configure: o => o.DefaultConsent = configured).Evaluate(new DefaultHttpContext());

        Assert.Equal(configured, decision.Consent);
    }

    [Theory]
    [InlineData(ClerkConsent.Granted)]
    [InlineData(ClerkConsent.Denied)]
    [InlineData(ClerkConsent.Undecided)]
    public void Evaluate_ResolverWithOpinion_WinsOverGpcAndCookiePolicy(ClerkConsent resolved)
    {
        var context = Context(gpc: true, tracking: new TrackingConsent(isConsentNeeded: false, hasConsent: false));

        var decision = Evaluator([new DelegateConsentResolver(_ => resolved)]).Evaluate(context);

        Assert.Equal(new ConsentDecision(resolved, ConsentSource.Resolver), decision);
    }

    [Fact]
    public void Evaluate_SeveralResolvers_FirstWithAnOpinionDecides()
    {
        var silent = new DelegateConsentResolver(_ => null);
        var first = new DelegateConsentResolver(_ => ClerkConsent.Denied);
        var second = new DelegateConsentResolver(_ => ClerkConsent.Granted);

        var decision = Evaluator([silent, first, second]).Evaluate(new DefaultHttpContext());

        Assert.Equal(ClerkConsent.Denied, decision.Consent);
        Assert.Equal(1, silent.Calls);
        Assert.Equal(0, second.Calls);
    }

    [Fact]
    public void Evaluate_ResolverWithoutOpinion_FallsThroughToGpc()
    {
        var decision = Evaluator([new DelegateConsentResolver(_ => null)]).Evaluate(Context(gpc: true));

        Assert.Equal(new ConsentDecision(ClerkConsent.Denied, ConsentSource.GlobalPrivacyControl), decision);
    }

    [Fact]
    public void Evaluate_GpcSignal_WinsOverGrantedCookiePolicy()
    {
        var context = Context(gpc: true, tracking: new TrackingConsent(isConsentNeeded: true, hasConsent: true));

        var decision = Evaluator().Evaluate(context);

        Assert.Equal(new ConsentDecision(ClerkConsent.Denied, ConsentSource.GlobalPrivacyControl), decision);
    }

    [Fact]
    public void Evaluate_GpcSignalNotHonored_IsIgnored()
    {
        var decision = Evaluator(configure: o =>
        {
            o.HonorGlobalPrivacyControl = false;
            o.DefaultConsent = ClerkConsent.Granted;
        }).Evaluate(Context(gpc: true));

        Assert.Equal(new ConsentDecision(ClerkConsent.Granted, ConsentSource.Default), decision);
    }

    [Theory]
    [InlineData(true, true, ClerkConsent.Granted)]
    [InlineData(true, false, ClerkConsent.Undecided)]
    [InlineData(false, false, ClerkConsent.Granted)] // the policy says consent is not needed for this request
    public void Evaluate_CookiePolicy_MapsCanTrack(bool isConsentNeeded, bool hasConsent, ClerkConsent expected)
    {
        var tracking = new TrackingConsent(isConsentNeeded, hasConsent);
        var context = Context(tracking: tracking);

        var decision = Evaluator().Evaluate(context);

        Assert.Equal(new ConsentDecision(expected, ConsentSource.CookiePolicy, tracking), decision);
    }

    [Fact]
    public void Evaluate_CookiePolicyConfiguredButNotRun_ReturnsUndecidedNotGranted()
    {
        var decision = Evaluator(checksConsent: true).Evaluate(new DefaultHttpContext());

        Assert.Equal(new ConsentDecision(ClerkConsent.Undecided, ConsentSource.CookiePolicyNotRun), decision);
    }

    [Fact]
    public void Evaluate_ResolverReturnsUndefinedValue_ThrowsNamingTheResolver()
    {
        var evaluator = Evaluator([new DelegateConsentResolver(_ => (ClerkConsent)42)]);

        var error = Assert.Throws<InvalidOperationException>(() => evaluator.Evaluate(new DefaultHttpContext()));

        Assert.Contains(nameof(DelegateConsentResolver), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData(" 1 ", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData("true", false)]
    [InlineData("11", false)]
    public void IsGlobalPrivacyControlSignal_HeaderValue_OnlyOneCounts(string value, bool expected)
    {
        var headers = new HeaderDictionary { ["Sec-GPC"] = value };

        Assert.Equal(expected, ConsentEvaluator.IsGlobalPrivacyControlSignal(headers));
    }

    [Fact]
    public void IsGlobalPrivacyControlSignal_NoHeader_ReturnsFalse() =>
        Assert.False(ConsentEvaluator.IsGlobalPrivacyControlSignal(new HeaderDictionary()));

    [Theory]
    [InlineData(ClerkConsent.Granted, ClerkVisitorMode.Cookieless, ClerkVisitorMode.Persistent)]
    [InlineData(ClerkConsent.Undecided, ClerkVisitorMode.Cookieless, ClerkVisitorMode.Cookieless)]
    [InlineData(ClerkConsent.Undecided, ClerkVisitorMode.Disabled, ClerkVisitorMode.Disabled)]
    [InlineData(ClerkConsent.Denied, ClerkVisitorMode.Cookieless, ClerkVisitorMode.Disabled)]
    [InlineData(ClerkConsent.Denied, ClerkVisitorMode.Disabled, ClerkVisitorMode.Disabled)]
    public void ModeFor_Consent_MapsToMode(ClerkConsent consent, ClerkVisitorMode undecidedMode, ClerkVisitorMode expected) =>
        Assert.Equal(expected, ConsentEvaluator.ModeFor(consent, undecidedMode));

    private static ConsentEvaluator Evaluator(
        IClerkConsentResolver[]? resolvers = null,
        Action<ClerkOptions>? configure = null,
        bool checksConsent = false)
    {
        var options = new ClerkOptions { PublicKey = "key" };
        configure?.Invoke(options);
        var cookiePolicy = new CookiePolicyOptions();
        if (checksConsent)
        {
            cookiePolicy.CheckConsentNeeded = _ => true;
        }

        return new ConsentEvaluator(resolvers ?? [], Options.Create(options), Options.Create(cookiePolicy));
    }

    private static DefaultHttpContext Context(bool gpc = false, ITrackingConsentFeature? tracking = null)
    {
        var context = new DefaultHttpContext();
        if (gpc)
        {
            context.Request.Headers["Sec-GPC"] = "1";
        }

        if (tracking is not null)
        {
            context.Features.Set(tracking);
        }

        return context;
    }

    private sealed class TrackingConsent(bool isConsentNeeded, bool hasConsent) : ITrackingConsentFeature
    {
        public bool IsConsentNeeded { get; } = isConsentNeeded;

        public bool HasConsent { get; } = hasConsent;

        public bool CanTrack => !IsConsentNeeded || HasConsent;

        public string CreateConsentCookie() => throw new NotSupportedException();

        public void GrantConsent() => throw new NotSupportedException();

        public void WithdrawConsent() => throw new NotSupportedException();
    }
}
