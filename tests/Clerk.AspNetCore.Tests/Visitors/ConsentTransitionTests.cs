using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.Visitors;

/// <summary>
/// Consent given mid-visit (issue 16): the persistent cookie carries the cookieless ID the visitor already had today,
/// so the clicks before consent and the sale after it share one visitor; an ID from before a decline never comes back.
/// </summary>
public sealed class ConsentTransitionTests
{
    private const string CookieName = "clerk_visitor";
    private const string Consent = ".AspNet.Consent=yes";
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140";

    // --- Privacy-safe default --------------------------------------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_NoConsentSourceAndNoSetting_IsCookielessWithoutCookie()
    {
        await using var host = await TrackingHost.StartAsync();

        using var response = await host.GetAsync(headers: ("User-Agent", Browser));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal((ClerkVisitorMode.Cookieless, ClerkConsent.Undecided), (visitor.Mode, visitor.Consent));
        Assert.True(VisitorId.IsValid(visitor.VisitorId), visitor.VisitorId);
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task InvokeAsync_DefaultConsentGrantedExplicitly_IssuesPersistentCookie()
    {
        await using var host = await TrackingHost.StartAsync(o => o.DefaultConsent = ClerkConsent.Granted);

        using var response = await host.GetAsync();
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
        Assert.Equal(visitor.VisitorId, SetCookies.Find(response, CookieName)?.Value.ToString());
    }

    // --- Same request: the banner's POST ----------------------------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_ConsentGrantedByTheBannersPost_CookieKeepsTodaysCookielessId()
    {
        await using var host = await StartWithBannerAsync();

        var before = await host.GetVisitorAsync(headers: ("User-Agent", Browser));
        using var accept = await host.SendAsync(HttpMethod.Post, "/accept", headers: ("User-Agent", Browser));
        var after = await host.GetVisitorAsync(cookie: $"{Consent}; {CookieName}={SetCookies.Find(accept, CookieName)?.Value}", headers: ("User-Agent", Browser));

        Assert.Equal(ClerkVisitorMode.Cookieless, before.Mode);
        Assert.Equal(before.VisitorId, SetCookies.Find(accept, CookieName)?.Value.ToString());
        Assert.Equal((ClerkVisitorMode.Persistent, before.VisitorId), (after.Mode, after.VisitorId));
    }

    [Fact]
    public async Task InvokeAsync_ConsentGrantedDuringRequest_ResponseIsNotStored()
    {
        await using var host = await StartWithBannerAsync();

        using var accept = await host.SendAsync(HttpMethod.Post, "/accept", headers: ("User-Agent", Browser));

        Assert.NotNull(SetCookies.Find(accept, CookieName));
        Assert.True(accept.Headers.CacheControl is { NoStore: true, Private: true }, accept.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task InvokeAsync_ConsentGrantedByResolverDuringRequest_CookieKeepsTodaysCookielessId()
    {
        // A consent platform that records the grant while the request runs; before it, no opinion (and no other
        // source: the package's default, undecided).
        await using var host = await TrackingHost.StartAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(
                context => context.Items.ContainsKey("accepted") ? ClerkConsent.Granted : null)),
            endpoint: context =>
            {
                if (HttpMethods.IsPost(context.Request.Method))
                {
                    context.Items["accepted"] = true;
                }

                return TrackingHost.WriteVisitor(context);
            });

        var before = await host.GetVisitorAsync(headers: ("User-Agent", Browser));
        using var accept = await host.SendAsync(HttpMethod.Post, "/", headers: ("User-Agent", Browser));

        Assert.Equal(before.VisitorId, SetCookies.Find(accept, CookieName)?.Value.ToString());
    }

    [Fact]
    public async Task InvokeAsync_ConsentGrantedAfterADecline_IssuesANewRandomIdInThatResponse()
    {
        // Undecided (cookieless ID), then declined (recorded in the shop's own cookie), then accepted: the accept's
        // request begins declined, so nothing links the new cookie to the time before the decline — and the cookie is
        // issued at once, so the next request (which could not tell a decline from undecided) never derives it again.
        await using var host = await StartWithBannerAsync(services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(
            context => context.Request.Cookies["shop_consent"] == "declined" && !context.Items.ContainsKey("accepted") ? ClerkConsent.Denied : null)));

        var undecided = await host.GetVisitorAsync(headers: ("User-Agent", Browser));
        var declined = await host.GetVisitorAsync(cookie: "shop_consent=declined", headers: ("User-Agent", Browser));
        using var accept = await host.SendAsync(HttpMethod.Post, "/accept", cookie: "shop_consent=declined", headers: ("User-Agent", Browser));
        var issued = SetCookies.Find(accept, CookieName)?.Value.ToString();
        var next = await host.GetVisitorAsync(cookie: $"{Consent}; {CookieName}={issued}", headers: ("User-Agent", Browser));

        Assert.Equal((ClerkVisitorMode.Disabled, null), (declined.Mode, declined.VisitorId));
        Assert.True(VisitorId.IsValid(issued), issued);
        Assert.NotEqual(undecided.VisitorId, issued);
        Assert.Equal(issued, next.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_ConsentGrantedDuringRequestWhereUndecidedGetNoId_IssuesANewRandomId()
    {
        await using var host = await StartWithBannerAsync(o => o.UndecidedConsentMode = ClerkVisitorMode.Disabled);

        var before = await host.GetVisitorAsync(headers: ("User-Agent", Browser));
        using var accept = await host.SendAsync(HttpMethod.Post, "/accept", headers: ("User-Agent", Browser));

        Assert.Null(before.VisitorId);
        Assert.True(VisitorId.IsValid(SetCookies.Find(accept, CookieName)?.Value.ToString()));
    }

    [Fact]
    public async Task InvokeAsync_UndecidedRequestThatStaysUndecided_WritesNoCookie()
    {
        await using var host = await StartWithBannerAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/other", headers: ("User-Agent", Browser));

        Assert.Empty(SetCookies.Raw(response));
    }

    // --- Next request: a consent tool set its cookie by script ------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_ArrivesGrantedWithoutVisitorCookie_CookieKeepsTodaysCookielessId()
    {
        await using var host = await StartWithBannerAsync();

        var before = await host.GetVisitorAsync(headers: ("User-Agent", Browser));
        using var response = await host.GetAsync(cookie: Consent, headers: ("User-Agent", Browser));
        var after = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal((ClerkVisitorMode.Persistent, before.VisitorId, true), (after.Mode, after.VisitorId, after.IsNewVisitor));
        Assert.Equal(before.VisitorId, SetCookies.Find(response, CookieName)?.Value.ToString());
    }

    [Fact]
    public async Task InvokeAsync_ArrivesGrantedByResolverWithoutVisitorCookie_CookieKeepsTodaysCookielessId()
    {
        await using var host = await TrackingHost.StartAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(
                context => context.Request.Cookies["cmp"] == "statistics" ? ClerkConsent.Granted : null)));

        var before = await host.GetVisitorAsync(headers: ("User-Agent", Browser));
        var after = await host.GetVisitorAsync(cookie: "cmp=statistics", headers: ("User-Agent", Browser));

        Assert.Equal((ClerkVisitorMode.Persistent, before.VisitorId), (after.Mode, after.VisitorId));
    }

    [Fact]
    public async Task InvokeAsync_ArrivesGrantedOverGpcSignal_GetsANewRandomId()
    {
        // A resolver grants although the browser says "do not track": the request shows a decline, so nothing links.
        await using var host = await TrackingHost.StartAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(
                context => context.Request.Cookies["cmp"] == "statistics" ? ClerkConsent.Granted : null)));

        var undecided = await host.GetVisitorAsync(headers: ("User-Agent", Browser));
        var granted = await host.GetVisitorAsync(cookie: "cmp=statistics", headers: [("User-Agent", Browser), ("Sec-GPC", "1")]);

        Assert.Equal(ClerkVisitorMode.Persistent, granted.Mode);
        Assert.True(VisitorId.IsValid(granted.VisitorId));
        Assert.NotEqual(undecided.VisitorId, granted.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_GrantedByDefaultSetting_GetsANewRandomIdNotTheCookielessOne()
    {
        // Consent from DefaultConsent never was undecided, so there is no earlier ID to keep; a derived one would only
        // merge people who share an address and a browser, for the cookie's whole life.
        await using var host = await TrackingHost.StartAsync(
            o => o.DefaultConsent = ClerkConsent.Granted,
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(
                context => context.Request.Headers.ContainsKey("X-Undecided") ? ClerkConsent.Undecided : null)));

        var cookieless = await host.GetVisitorAsync(headers: [("User-Agent", Browser), ("X-Undecided", "1")]);
        var granted = await host.GetVisitorAsync(headers: ("User-Agent", Browser));

        Assert.Equal(ClerkVisitorMode.Cookieless, cookieless.Mode);
        Assert.Equal(ClerkVisitorMode.Persistent, granted.Mode);
        Assert.NotEqual(cookieless.VisitorId, granted.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_ArrivesGrantedWithInvalidVisitorCookie_GetsANewRandomId()
    {
        // A cookie, even a broken one, means this browser was not simply undecided until now.
        await using var host = await StartWithBannerAsync();

        var before = await host.GetVisitorAsync(headers: ("User-Agent", Browser));
        var after = await host.GetVisitorAsync(cookie: $"{Consent}; {CookieName}=not-an-id", headers: ("User-Agent", Browser));

        Assert.Equal(ClerkVisitorMode.Persistent, after.Mode);
        Assert.NotEqual(before.VisitorId, after.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_ArrivesGrantedWithVisitorCookie_KeepsTheCookiesId()
    {
        await using var host = await StartWithBannerAsync();

        using var response = await host.GetAsync(cookie: $"{Consent}; {CookieName}=aR9Km32lQx7Tz0Pb", headers: ("User-Agent", Browser));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal("aR9Km32lQx7Tz0Pb", visitor.VisitorId);
        Assert.Empty(SetCookies.Raw(response));
    }

    /// <summary>
    /// A shop with a consent banner: ASP.NET Core's cookie policy asks for consent, and <c>POST /accept</c> grants it
    /// during the request, as the banner's button does.
    /// </summary>
    private static Task<TrackingHost> StartWithBannerAsync(
        Action<ClerkOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        TrackingHost.StartAsync(
            configure,
            s =>
            {
                s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true);
                services?.Invoke(s);
            },
            app => app.UseCookiePolicy(),
            context =>
            {
                if (context.Request.Path == "/accept")
                {
                    context.Items["accepted"] = true;
                    context.Features.Get<ITrackingConsentFeature>()!.GrantConsent();
                    context.Response.StatusCode = StatusCodes.Status303SeeOther;
                    context.Response.Headers.Location = "/";
                    return Task.CompletedTask;
                }

                return TrackingHost.WriteVisitor(context);
            });
}
