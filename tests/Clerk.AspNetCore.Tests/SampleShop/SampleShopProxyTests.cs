using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The sample shop behind a reverse proxy: forwarded headers from the proxies of its configuration only.</summary>
public sealed class SampleShopProxyTests
{
    private const string Proxy = "10.0.0.5";

    [Fact]
    public async Task Privacy_FromConfiguredProxyForwardingHttps_IssuesSecureVisitorCookie()
    {
        await using var factory = new SampleShopFactory();
        using var shop = factory.WithWebHostBuilder(b => b.UseSetting("ForwardedHeaders:KnownProxies:0", Proxy));

        var context = await ThroughProxyAsync(shop.Server);

        var cookie = Assert.Single(context.Response.Headers.SetCookie, c => c!.StartsWith("clerk_visitor=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Privacy_FromUnknownProxy_IgnoresItsForwardedScheme()
    {
        await using var factory = new SampleShopFactory();

        var context = await ThroughProxyAsync(factory.Server);

        var cookie = Assert.Single(context.Response.Headers.SetCookie, c => c!.StartsWith("clerk_visitor=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Start_KnownProxyThatIsNotAnAddress_FailsNamingTheValue()
    {
        await using var factory = new SampleShopFactory();
        using var shop = factory.WithWebHostBuilder(b => b.UseSetting("ForwardedHeaders:KnownProxies:0", "proxy.internal"));

        var error = Assert.ThrowsAny<Exception>(() => shop.CreateClient());

        Assert.Contains("ForwardedHeaders:KnownProxies contains 'proxy.internal'", error.ToString(), StringComparison.Ordinal);
    }

    // A consenting visitor's first page, reaching the shop through a TLS-terminating proxy at 10.0.0.5.
    private static Task<HttpContext> ThroughProxyAsync(TestServer server) => server.SendAsync(context =>
    {
        context.Connection.RemoteIpAddress = IPAddress.Parse(Proxy);
        context.Request.Method = "GET";
        context.Request.Path = "/privacy";
        context.Request.Headers.Cookie = ".AspNet.Consent=yes";
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
        context.Request.Headers["X-Forwarded-Proto"] = "https";
    }, TestContext.Current.CancellationToken);
}
