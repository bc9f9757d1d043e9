using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Tests.Visitors;

public sealed class VisitorCookieTests
{
    private const string Id = "aR9Km32lQx7Tz0Pb";

    /// <summary>
    /// With the framework's own cookies feature the header is written from a template made once (issue 20); it must be
    /// byte for byte what <c>Response.Cookies.Append</c> writes, for every setting that changes the header.
    /// </summary>
    [Theory]
    [InlineData(false, false, null, "/", 365)]
    [InlineData(true, false, null, "/", 365)]
    [InlineData(false, true, null, "/", 365)]
    [InlineData(true, false, "shop.example", "/store", 30)]
    [InlineData(false, false, ".example.com", "/", 1)]
    public void Issue_FrameworkCookies_SameHeaderAsTheFrameworkWrites(bool https, bool hostPrefix, string? domain, string path, int days)
    {
        var options = new ClerkOptions { PublicKey = "key" };
        options.VisitorCookie.UseHostPrefix = hostPrefix;
        options.VisitorCookie.Domain = hostPrefix ? null : domain;
        options.VisitorCookie.Path = hostPrefix ? "/" : path;
        options.VisitorCookie.Lifetime = TimeSpan.FromDays(days);
        var cookie = new VisitorCookie(Options.Create(options));

        var fast = Request(https);
        cookie.Issue(fast, Id);

        // The same through the framework's ResponseCookies, reached through a cookies feature that is not the default.
        var framework = Request(https);
        framework.Features.Set<IResponseCookiesFeature>(new OtherCookiesFeature(new ResponseCookiesFeature(framework.Features)));
        cookie.Issue(framework, Id);

        var expected = Assert.Single(framework.Response.Headers.SetCookie);
        Assert.Equal(expected, Assert.Single(fast.Response.Headers.SetCookie));
        Assert.StartsWith($"{cookie.Name}={Id}; ", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_AfterAnotherCookie_BothHeadersKept()
    {
        var cookie = new VisitorCookie(Options.Create(new ClerkOptions { PublicKey = "key" }));
        var context = Request(https: false);
        context.Response.Cookies.Append("cart", "1");

        cookie.Issue(context, Id);

        Assert.Equal(2, context.Response.Headers.SetCookie.Count);
        Assert.StartsWith("cart=1", context.Response.Headers.SetCookie[0], StringComparison.Ordinal);
        Assert.StartsWith($"clerk_visitor={Id};", context.Response.Headers.SetCookie[1], StringComparison.Ordinal);
    }

    private static DefaultHttpContext Request(bool https)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = https ? "https" : "http";
        context.Request.Host = new HostString("shop.example");
        return context;
    }

    private sealed class OtherCookiesFeature(IResponseCookiesFeature inner) : IResponseCookiesFeature
    {
        public IResponseCookies Cookies => inner.Cookies;
    }
}
