using Clerk.AspNetCore.Tests.TestSupport;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Clerk.AspNetCore.Tests.Visitors;

/// <summary>
/// No shared cache serves one visitor's ID to another (issue 16): a response that renders a visitor ID is
/// <c>private</c>, one that sets or deletes the visitor cookie also <c>no-store</c>, and the app's header only ever
/// gets stricter.
/// </summary>
public sealed class VisitorCacheControlTests
{
    private const string CookieName = "clerk_visitor";
    private const string ReturningId = "aR9Km32lQx7Tz0Pb";

    // --- The merge --------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(null, "private")]
    [InlineData("", "private")]
    [InlineData("public, max-age=600", "private, max-age=600")]
    [InlineData("public, s-maxage=3600, max-age=60", "private, max-age=60")]
    [InlineData("private=\"Set-Cookie\"", "private")]
    [InlineData("no-cache", "no-cache, private")]
    [InlineData("private, max-age=30", "private, max-age=30")]
    [InlineData("no-store", "no-store")]
    [InlineData("no-store, no-cache, must-revalidate", "no-store, no-cache, must-revalidate")]
    public void KeepPrivate_AppHeader_BecomesPrivateAndNeverWeaker(string? appHeader, string expected)
    {
        var context = Context(appHeader);

        VisitorCacheControl.KeepPrivate(context);

        AssertSameDirectives(expected, context.Response.Headers.CacheControl.ToString());
    }

    [Theory]
    [InlineData(null, "private, no-store")]
    [InlineData("private", "private, no-store")]
    [InlineData("public, max-age=600", "private, no-store, max-age=600")]
    [InlineData("no-store", "private, no-store")]
    [InlineData("private, no-store", "private, no-store")]
    [InlineData("no-cache, no-store, must-revalidate, private", "no-cache, no-store, must-revalidate, private")]
    public void PreventStorage_AppHeader_BecomesNoStoreAndNeverWeaker(string? appHeader, string expected)
    {
        var context = Context(appHeader);

        VisitorCacheControl.PreventStorage(context);

        AssertSameDirectives(expected, context.Response.Headers.CacheControl.ToString());
    }

    [Theory]
    [InlineData("max-age=\"")]
    [InlineData("public, max-age=abc")]
    [InlineData("=,=;;")]
    public void KeepPrivate_HeaderThatDoesNotParse_BecomesTheStrictestValue(string hostile)
    {
        var context = Context(hostile);

        VisitorCacheControl.KeepPrivate(context);

        AssertSameDirectives("private, no-store", context.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public void KeepPrivate_UnderTheOutputCache_ForbidsStoringTheResponse()
    {
        // ASP.NET Core's output cache does not read Cache-Control; it has to be told.
        var context = Context(null);
        var outputCache = new OutputCacheFeature(context);
        context.Features.Set<IOutputCacheFeature>(outputCache);

        VisitorCacheControl.KeepPrivate(context);

        Assert.False(outputCache.Context.AllowCacheStorage);
    }

    [Fact]
    public void KeepPrivate_ResponseAlreadyStarted_LeavesTheHeadersAlone()
    {
        var context = Context(null);
        context.Features.Set<IHttpResponseFeature>(new StartedResponse());

        VisitorCacheControl.KeepPrivate(context);

        Assert.Empty(context.Response.Headers.CacheControl.ToString());
    }

    // --- <clerk-script> ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(ClerkVisitorMode.Persistent)]
    [InlineData(ClerkVisitorMode.Cookieless)]
    public async Task ClerkScript_RendersAVisitorId_ResponseIsPrivate(ClerkVisitorMode mode)
    {
        using var harness = new TagHelperHarness(visitor: mode == ClerkVisitorMode.Persistent
            ? Visitor.Persistent("AbC123xyZ0987654")
            : Visitor.Cookieless("Serverside0000Id"));

        await harness.RenderAsync(harness.Create<ClerkScriptTagHelper>(), "clerk-script", tagMode: TagMode.SelfClosing);

        Assert.Equal("private", harness.HttpContext.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task ClerkScript_DisabledVisitor_LeavesCachingToTheApp()
    {
        // visitor: null is the same for every visitor; nothing personal to keep out of a shared cache.
        using var harness = new TagHelperHarness(visitor: Visitor.Disabled());
        harness.HttpContext.Response.Headers.CacheControl = "public, max-age=60";

        await harness.RenderAsync(harness.Create<ClerkScriptTagHelper>(), "clerk-script", tagMode: TagMode.SelfClosing);

        Assert.Equal("public, max-age=60", harness.HttpContext.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task ClerkScript_AppSetPublic_BecomesPrivate()
    {
        using var harness = new TagHelperHarness(visitor: Visitor.Persistent("AbC123xyZ0987654"));
        harness.HttpContext.Response.Headers.CacheControl = "public, max-age=60";

        await harness.RenderAsync(harness.Create<ClerkScriptTagHelper>(), "clerk-script", tagMode: TagMode.SelfClosing);

        AssertSameDirectives("private, max-age=60", harness.HttpContext.Response.Headers.CacheControl.ToString());
    }

    // --- The middleware: the visitor cookie set or deleted ----------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_NewVisitorCookie_ResponseIsPrivateNoStore()
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        using var response = await host.GetAsync();

        Assert.NotNull(SetCookies.Find(response, CookieName));
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task InvokeAsync_VisitorCookieDeleted_ResponseIsPrivateNoStore()
    {
        await using var host = await TrackingHost.StartAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Denied)));

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");

        Assert.True(SetCookies.IsDeletion(SetCookies.Find(response, CookieName)!));
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task InvokeAsync_NewVisitorCookieWhereAppSetPublic_KeepsTheAppsOtherDirectives()
    {
        await using var host = await TrackingHost.StartGrantedAsync(endpoint: context =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300, must-revalidate";
            return TrackingHost.WriteVisitor(context);
        });

        using var response = await host.GetAsync();

        var cacheControl = response.Headers.CacheControl;
        Assert.True(cacheControl is { Private: true, NoStore: true, Public: false, MustRevalidate: true }, cacheControl?.ToString());
        Assert.Equal(TimeSpan.FromSeconds(300), cacheControl!.MaxAge);
    }

    [Fact]
    public async Task InvokeAsync_ReturningVisitorWithNothingRendered_LeavesCachingToTheApp()
    {
        await using var host = await TrackingHost.StartGrantedAsync(endpoint: context =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            return context.Response.WriteAsync("static");
        });

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");

        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
    }

    private static DefaultHttpContext Context(string? cacheControl)
    {
        var context = new DefaultHttpContext();
        if (cacheControl is not null)
        {
            context.Response.Headers.CacheControl = cacheControl;
        }

        return context;
    }

    private static void AssertSameDirectives(string expected, string actual)
    {
        Assert.True(CacheControlHeaderValue.TryParse(actual, out var parsed), actual);
        Assert.Equal(Directives(expected), Directives(actual));
        Assert.NotNull(parsed);

        static string[] Directives(string value) =>
            value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
    }

    private sealed class OutputCacheFeature(HttpContext context) : IOutputCacheFeature
    {
        public OutputCacheContext Context { get; } = new() { HttpContext = context, AllowCacheStorage = true };
    }

    private sealed class StartedResponse : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
