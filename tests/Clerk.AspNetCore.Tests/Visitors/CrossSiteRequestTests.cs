using Clerk.AspNetCore.Tests.TestSupport;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.Visitors;

/// <summary>
/// Payment returns (issue 16): a provider sends the buyer back with a cross-site POST, which carries no
/// <c>SameSite=Lax</c> cookie. The middleware never replaces a visitor cookie it could not see.
/// </summary>
public sealed class CrossSiteRequestTests
{
    private const string CookieName = "clerk_visitor";
    private const string ReturningId = "aR9Km32lQx7Tz0Pb";
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140";

    // --- The rule, in the middleware -------------------------------------------------------------------------------

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "https://pay.example")]
    [InlineData("Origin", "null")]
    public async Task InvokeAsync_CrossSitePostWithoutVisitorCookie_IssuesNoCookie(string header, string value)
    {
        // The worst case: a shop that grants by default would otherwise give every such request a new cookie.
        await using var host = await TrackingHost.StartGrantedAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/checkout/return", headers: [(header, value), ("User-Agent", Browser)]);

        Assert.Empty(SetCookies.Raw(response));
        Assert.Contains(host.Logs.ClerkRecords(), e => e.Id is { Id: 16, Name: "VisitorCookieWithheldCrossSite" });
    }

    [Fact]
    public async Task InvokeAsync_CrossSitePostWithoutVisitorCookie_IsIdentifiedByTodaysCookielessId()
    {
        // The same ID a consent given today keeps in the cookie, and the one the same device gets all day without one.
        await using var host = await TrackingHost.StartGrantedAsync();

        var first = await host.GetVisitorAsync("/", null, ("User-Agent", Browser));
        using var one = await host.SendAsync(HttpMethod.Post, "/checkout/return", headers: [("Sec-Fetch-Site", "cross-site"), ("User-Agent", Browser)]);
        using var two = await host.SendAsync(HttpMethod.Post, "/checkout/return", headers: [("Origin", "https://pay.example"), ("User-Agent", Browser)]);
        var visitorOne = await VisitorSnapshot.ReadAsync(one);
        var visitorTwo = await VisitorSnapshot.ReadAsync(two);

        Assert.Equal((ClerkVisitorMode.Cookieless, ClerkConsent.Granted), (visitorOne.Mode, visitorOne.Consent));
        Assert.True(VisitorId.IsValid(visitorOne.VisitorId), visitorOne.VisitorId);
        Assert.Equal(visitorOne.VisitorId, visitorTwo.VisitorId);
        Assert.NotEqual(first.VisitorId, visitorOne.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_CrossSitePostWhereUndecidedGetNoId_HasNoVisitorAndNoCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync(o => o.UndecidedConsentMode = ClerkVisitorMode.Disabled);

        using var response = await host.SendAsync(HttpMethod.Post, "/checkout/return", headers: ("Sec-Fetch-Site", "cross-site"));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal((ClerkVisitorMode.Disabled, null), (visitor.Mode, visitor.VisitorId));
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task InvokeAsync_CrossSitePostWithVisitorCookie_KeepsItsIdWithoutSetCookie()
    {
        // SameSite=None cookies, or a browser that sent it anyway: the cookie was seen, so it is the visitor.
        await using var host = await TrackingHost.StartGrantedAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/checkout/return", $"{CookieName}={ReturningId}", false, ("Sec-Fetch-Site", "cross-site"));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal((ClerkVisitorMode.Persistent, ReturningId), (visitor.Mode, visitor.VisitorId));
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task InvokeAsync_CrossSitePostWithInvalidVisitorCookie_ReplacesTheCookieItSaw()
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/", $"{CookieName}=not-an-id", false, ("Sec-Fetch-Site", "cross-site"));

        Assert.True(VisitorId.IsValid(SetCookies.Find(response, CookieName)?.Value.ToString()));
    }

    [Fact]
    public async Task InvokeAsync_CrossSitePostWhoseConsentIsGivenDuringTheRequest_IssuesNoCookie()
    {
        await using var host = await TrackingHost.StartAsync(
            services: s => s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true),
            beforeTracking: app => app.UseCookiePolicy(),
            endpoint: context =>
            {
                context.Features.Get<ITrackingConsentFeature>()!.GrantConsent();
                return TrackingHost.WriteVisitor(context);
            });

        using var response = await host.SendAsync(HttpMethod.Post, "/", headers: ("Origin", "https://pay.example"));

        Assert.Null(SetCookies.Find(response, CookieName));
    }

    [Fact]
    public async Task InvokeAsync_UndecidedCrossSitePostWithoutCookie_DeletesNothing()
    {
        await using var host = await TrackingHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/", headers: ("Sec-Fetch-Site", "cross-site"));

        Assert.Empty(SetCookies.Raw(response));
    }

    [Theory]
    [InlineData("GET", "Sec-Fetch-Site", "cross-site")]      // a top-level GET carries Lax cookies: none means none
    [InlineData("POST", "Sec-Fetch-Site", "same-origin")]
    [InlineData("POST", "Origin", "http://shop.example")]
    [InlineData("POST", "Origin", "https://SHOP.example:8443")] // cookies do not keep to ports or schemes
    [InlineData("POST", "X-Nothing", "1")]                  // neither header: an old browser or a script
    public async Task InvokeAsync_NotACrossSitePost_IssuesTheNewCookie(string method, string header, string value)
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        using var response = await host.SendAsync(new HttpMethod(method), "/", headers: (header, value));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
        Assert.Equal(visitor.VisitorId, SetCookies.Find(response, CookieName)?.Value.ToString());
    }

    // --- Recognizing the request, hostile and missing headers included ----------------------------------------------

    [Theory]
    [InlineData("POST", null, null, false)]
    [InlineData("POST", "cross-site", null, true)]
    [InlineData("POST", "CROSS-SITE", null, true)]
    [InlineData("POST", " cross-site ", null, true)]
    [InlineData("POST", "same-origin, cross-site", null, true)]  // malformed list: errs towards cross-site
    [InlineData("POST", "same-site", null, false)]
    [InlineData("POST", "none", null, false)]
    [InlineData("POST", "", null, false)]
    [InlineData("POST", "\u0000garbage", null, false)]
    [InlineData("POST", null, "https://pay.example", true)]
    [InlineData("POST", null, "https://shop.example", false)]
    [InlineData("POST", null, "https://shop.example.pay.example", true)]
    [InlineData("POST", null, "https://pay.shop.example", true)]  // a sibling subdomain: only defers the cookie
    [InlineData("POST", null, "null", true)]
    [InlineData("POST", null, "not a url", true)]
    [InlineData("POST", null, "https://", true)]
    [InlineData("POST", null, "", false)]
    [InlineData("POST", "same-origin", "https://pay.example", true)]  // either signal
    [InlineData("PUT", "cross-site", null, true)]
    [InlineData("DELETE", null, "https://pay.example", true)]
    [InlineData("PATCH", "cross-site", null, true)]
    [InlineData("OPTIONS", "cross-site", null, true)]
    [InlineData("GET", "cross-site", "https://pay.example", false)]
    [InlineData("HEAD", "cross-site", null, false)]
    public void IsUnsafeCrossSite_Headers_AreReadConservatively(string method, string? fetchSite, string? origin, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Host = new HostString("shop.example");
        if (fetchSite is not null)
        {
            context.Request.Headers["Sec-Fetch-Site"] = fetchSite;
        }

        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        Assert.Equal(expected, CrossSiteRequest.IsUnsafeCrossSite(context.Request));
    }

    [Fact]
    public void IsUnsafeCrossSite_SeveralOriginValuesOneForeign_IsCrossSite()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Host = new HostString("shop.example");
        context.Request.Headers.Origin = new Microsoft.Extensions.Primitives.StringValues(["http://shop.example", "https://pay.example"]);

        Assert.True(CrossSiteRequest.IsUnsafeCrossSite(context.Request));
    }
}
