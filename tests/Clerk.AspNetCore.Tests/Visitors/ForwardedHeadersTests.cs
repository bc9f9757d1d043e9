using System.Diagnostics.Metrics;
using System.Net;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.Visitors;

/// <summary>Behind a reverse proxy: forwarded headers processed or not, and the visitor cookie's Secure flag.</summary>
public sealed class ForwardedHeadersTests
{
    private const string CookieName = "clerk_visitor";
    private const string ReturningId = "aR9Km32lQx7Tz0Pb";
    private const string ProxyAddress = "10.0.0.5";
    private const int ForwardedHeadersNotProcessed = 9;
    private const int CookielessIdWithheld = 10;

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:10.1.2.3")]
    public async Task InvokeAsync_UndecidedWithUnprocessedForwardedForFromPrivatePeer_GetsNoVisitorId(string peer)
    {
        await using var host = await StartUndecidedAsync(peer);

        using var response = await host.GetAsync(headers: ("X-Forwarded-For", "203.0.113.7"));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Disabled, visitor.Mode);
        Assert.Equal(ClerkConsent.Undecided, visitor.Consent);
        Assert.Null(visitor.VisitorId);
        Assert.Empty(SetCookies.Raw(response));
        var withheld = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == CookielessIdWithheld);
        Assert.Equal(LogLevel.Debug, withheld.Level);
    }

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("172.32.0.1")]
    [InlineData("2001:db8::1")]
    public async Task InvokeAsync_ForwardedForFromPublicPeer_KeepsCookielessId(string peer)
    {
        // Not from a proxy of the shop's own network: a client may send any header, and its own address is right.
        await using var host = await StartUndecidedAsync(peer);

        var visitor = await host.GetVisitorAsync(headers: ("X-Forwarded-For", "198.51.100.1"));

        Assert.Equal(ClerkVisitorMode.Cookieless, visitor.Mode);
        Assert.DoesNotContain(host.Logs.ClerkRecords(), r => r.Id.Id == ForwardedHeadersNotProcessed);
    }

    [Fact]
    public async Task InvokeAsync_PrivatePeerWithoutForwardedFor_KeepsCookielessId()
    {
        await using var host = await StartUndecidedAsync(ProxyAddress);

        var visitor = await host.GetVisitorAsync();

        Assert.Equal(ClerkVisitorMode.Cookieless, visitor.Mode);
    }

    [Fact]
    public async Task InvokeAsync_UnprocessedForwardedFor_WarnsOncePerAppWithTheFix()
    {
        await using var host = await StartUndecidedAsync(ProxyAddress);

        await host.GetVisitorAsync(headers: ("X-Forwarded-For", "203.0.113.7"));
        await host.GetVisitorAsync(headers: ("X-Forwarded-For", "203.0.113.8"));

        var warning = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == ForwardedHeadersNotProcessed);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("UseForwardedHeaders", warning.Message, StringComparison.Ordinal);
        Assert.Contains("KnownProxies", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_UnprocessedForwardedForInDevelopment_WarnsAndDoesNotThrow()
    {
        await using var host = await StartUndecidedAsync(ProxyAddress, environment: "Development");

        using var response = await host.GetAsync(headers: ("X-Forwarded-For", "203.0.113.7"));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ClerkVisitorMode.Disabled, visitor.Mode);
        Assert.Contains(host.Logs.ClerkRecords(), r => r.Id.Id == ForwardedHeadersNotProcessed);
    }

    [Fact]
    public async Task InvokeAsync_UnprocessedForwardedFor_IsCountedByReason()
    {
        await using var host = await StartUndecidedAsync(ProxyAddress);
        using var withheld = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.visitor.withheld");

        await host.GetVisitorAsync(headers: ("X-Forwarded-For", "203.0.113.7"));

        var measurement = Assert.Single(withheld.GetMeasurementSnapshot());
        Assert.Equal("unprocessed_forwarded_for", measurement.Tags["clerk.reason"]);
    }

    [Fact]
    public async Task InvokeAsync_ConsentingVisitorBehindUnprocessedProxy_KeepsPersistentId()
    {
        // The cookie identifies a consenting visitor; the address plays no part.
        await using var host = await TrackingHost.StartGrantedAsync(beforeTracking: app => app.Use(Peer(ProxyAddress)));

        var visitor = await host.GetVisitorAsync(cookie: $"{CookieName}={ReturningId}", headers: ("X-Forwarded-For", "203.0.113.7"));

        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
        Assert.Equal(ReturningId, visitor.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_ForwardedHeadersProcessed_GivesEachClientItsOwnCookielessId()
    {
        await using var host = await StartUndecidedAsync(ProxyAddress, forwardedHeaders: true);

        var one = await host.GetVisitorAsync(headers: [("X-Forwarded-For", "203.0.113.7"), ("User-Agent", "Same/1.0")]);
        var two = await host.GetVisitorAsync(headers: [("X-Forwarded-For", "203.0.113.8"), ("User-Agent", "Same/1.0")]);

        Assert.Equal(ClerkVisitorMode.Cookieless, one.Mode);
        Assert.Equal(ClerkVisitorMode.Cookieless, two.Mode);
        Assert.NotEqual(one.VisitorId, two.VisitorId);
        Assert.DoesNotContain(host.Logs.ClerkRecords(), r => r.Id.Id == ForwardedHeadersNotProcessed);
    }

    [Fact]
    public async Task InvokeAsync_ForwardedProtoHttpsProcessed_IssuesSecureCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync(beforeTracking: app => UseProxy(app, ProxyAddress));

        using var response = await host.GetAsync(headers: ("X-Forwarded-Proto", "https"));

        var cookie = SetCookies.Find(response, CookieName);
        Assert.NotNull(cookie);
        Assert.True(cookie.Secure);
    }

    private static Task<TrackingHost> StartUndecidedAsync(string peer, bool forwardedHeaders = false, string environment = "Production") =>
        TrackingHost.StartAsync(
            beforeTracking: app =>
            {
                if (forwardedHeaders)
                {
                    UseProxy(app, peer);
                }
                else
                {
                    app.Use(Peer(peer));
                }
            },
            environment: environment);

    // What the proxy in front of the app looks like to it: the connection comes from the proxy's address.
    private static Func<Microsoft.AspNetCore.Http.HttpContext, Func<Task>, Task> Peer(string address) => (context, next) =>
    {
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return next();
    };

    private static void UseProxy(IApplicationBuilder app, string proxy)
    {
        app.Use(Peer(proxy));
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownProxies.Add(IPAddress.Parse(proxy));
        app.UseForwardedHeaders(options);
    }

    // --- __Host- prefix ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_HostPrefix_IssuesHostPrefixedSecureCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync(o => o.VisitorCookie.UseHostPrefix = true);

        using var response = await host.GetAsync(https: true);
        var visitor = await VisitorSnapshot.ReadAsync(response);

        var raw = Assert.Single(SetCookies.Raw(response));
        Assert.Equal($"__Host-{CookieName}={visitor.VisitorId}; max-age=31536000; path=/; secure; samesite=lax; httponly", raw);
    }

    [Fact]
    public async Task InvokeAsync_HostPrefixReturningVisitor_ReadsThePrefixedCookieWithoutSetCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync(o => o.VisitorCookie.UseHostPrefix = true);

        using var response = await host.GetAsync(cookie: $"__Host-{CookieName}={ReturningId}", https: true);
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ReturningId, visitor.VisitorId);
        Assert.False(visitor.IsNewVisitor);
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task InvokeAsync_HostPrefixSwitchedOnForVisitorWithOldCookie_KeepsIdUnderThePrefixedName()
    {
        await using var host = await TrackingHost.StartGrantedAsync(o => o.VisitorCookie.UseHostPrefix = true);

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}", https: true);
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ReturningId, visitor.VisitorId);
        Assert.False(visitor.IsNewVisitor);
        Assert.Equal(ReturningId, SetCookies.Find(response, $"__Host-{CookieName}")?.Value.ToString());
        var old = SetCookies.Find(response, CookieName);
        Assert.NotNull(old);
        Assert.True(SetCookies.IsDeletion(old), old.ToString());
    }

    [Fact]
    public async Task InvokeAsync_HostPrefixDeniedVisitor_DeletesThePrefixedCookieAsSecure()
    {
        await using var host = await TrackingHost.StartAsync(
            o => o.VisitorCookie.UseHostPrefix = true,
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Denied)));

        using var response = await host.GetAsync(cookie: $"__Host-{CookieName}={ReturningId}", https: true);

        var cookie = SetCookies.Find(response, $"__Host-{CookieName}");
        Assert.NotNull(cookie);
        Assert.True(SetCookies.IsDeletion(cookie), cookie.ToString());
        Assert.True(cookie.Secure);
    }
}
