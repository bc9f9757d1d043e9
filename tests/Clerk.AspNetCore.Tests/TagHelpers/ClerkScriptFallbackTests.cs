using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.TagHelpers;

/// <summary><c>&lt;clerk-script&gt;</c>'s first-party click fallback and its consent tool listener, in Clerk.js mode.</summary>
public sealed class ClerkScriptFallbackTests
{
    private static async Task<string> RenderAsync(TagHelperHarness harness, Action<ClerkScriptTagHelper>? set = null)
    {
        var helper = harness.Create<ClerkScriptTagHelper>();
        set?.Invoke(helper);
        return await harness.RenderAsync(helper, "clerk-script", tagMode: TagMode.SelfClosing);
    }

    private static string ScriptOf(string html) =>
        Assert.Single(TagHelperHarness.Parse(html).QuerySelectorAll("script")).TextContent;

    [Fact]
    public async Task Process_Default_PostsClicksToTheBeaconWhenClerkJsFailsToLoad()
    {
        using var harness = new TagHelperHarness();

        var script = ScriptOf(await RenderAsync(harness));

        Assert.Equal("/clerk/click", Hostile.JsonAfter(script, "n=w.navigator,u=").GetString());
        Assert.Contains("e.addEventListener('error',function(){f=true;})", script, StringComparison.Ordinal);
        Assert.Contains("if(w.Clerk===c){f=true;}", script, StringComparison.Ordinal);
        Assert.Contains("if(!f||w.Clerk!==c){return;}", script, StringComparison.Ordinal);
        Assert.Contains("n.sendBeacon(u,", script, StringComparison.Ordinal);
        Assert.Contains("keepalive:true", script, StringComparison.Ordinal);
        Assert.Contains("data-clerk-labels", script, StringComparison.Ordinal);
        Assert.Contains("data-clerk-position", script, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", script, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Process_ClickFallbackOff_RendersNoFallback()
    {
        using var harness = new TagHelperHarness(configure: o => o.ClickFallback = false);

        var script = ScriptOf(await RenderAsync(harness));

        Assert.DoesNotContain("sendBeacon", script, StringComparison.Ordinal);
        Assert.Contains("Clerk('click','*[data-clerk-product-id]');", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_TrackClicksOffOnThePage_RendersNoFallback()
    {
        using var harness = new TagHelperHarness();

        var script = ScriptOf(await RenderAsync(harness, h => h.TrackClicks = false));

        Assert.DoesNotContain("sendBeacon", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_PathBaseAndNonce_FallbackPostsUnderThePathBaseWithTheNonce()
    {
        using var harness = new TagHelperHarness(configure: o => o.BeaconPath = "/api/clicks");
        harness.HttpContext.Request.PathBase = "/shop";

        var html = await RenderAsync(harness, h => h.Nonce = "n0nce\"<");

        var script = Assert.Single(TagHelperHarness.Parse(html).QuerySelectorAll("script"));
        Assert.Equal("n0nce\"<", script.GetAttribute("nonce"));
        Assert.Equal("/shop/api/clicks", Hostile.JsonAfter(script.TextContent, "n=w.navigator,u=").GetString());
    }

    [Fact]
    public async Task Process_NonceFromOptions_IsOnTheScriptWithTheFallback()
    {
        using var harness = new TagHelperHarness(configure: o => o.CspNonce = _ => "from-options");

        var script = Assert.Single(TagHelperHarness.Parse(await RenderAsync(harness)).QuerySelectorAll("script"));

        Assert.Equal("from-options", script.GetAttribute("nonce"));
        Assert.Contains("sendBeacon", script.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_HostilePathBase_StaysInsideTheFallbackString()
    {
        using var harness = new TagHelperHarness();
        harness.HttpContext.Request.PathBase = "/a</script><script>alert(1)//'\u2028";

        var html = await RenderAsync(harness);

        var document = TagHelperHarness.Parse(html);
        var script = Assert.Single(document.QuerySelectorAll("script")).TextContent;
        Assert.DoesNotContain("</script>", script, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/a</script><script>alert(1)//'\u2028/clerk/click", Hostile.JsonAfter(script, "n=w.navigator,u=").GetString());
    }

    [Fact]
    public async Task Process_SecondPageWithPathBase_DoesNotReuseTheCachedLoader()
    {
        using var harness = new TagHelperHarness();
        await RenderAsync(harness);
        harness.NewRequest(Visitor.Persistent("AbC123xyZ0987654")).Request.PathBase = "/shop";

        var script = ScriptOf(await RenderAsync(harness));

        Assert.Equal("/shop/clerk/click", Hostile.JsonAfter(script, "n=w.navigator,u=").GetString());
    }

    [Fact]
    public async Task Process_ApiMode_RendersOnlyTheBeaconNotTheFallback()
    {
        using var harness = new TagHelperHarness(configure: o => o.Mode = ClerkIntegrationMode.Api);

        var script = ScriptOf(await RenderAsync(harness));

        Assert.DoesNotContain("w.Clerk!==c", script, StringComparison.Ordinal);
        Assert.Equal("/clerk/click", Hostile.JsonAfter(script, "})(document,navigator,").GetString());
    }

    [Fact]
    public async Task Process_WithoutConsentTools_RendersNoConsentListener()
    {
        using var harness = new TagHelperHarness();

        Assert.DoesNotContain("/clerk/visitor", ScriptOf(await RenderAsync(harness)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_WithCookiebot_ListensForItsEventsAndAsksTheVisitorEndpoint()
    {
        using var harness = new TagHelperHarness(
            visitor: Visitor.Cookieless("Serverside0000Id"),
            services: s => s.AddClerkConsentTool(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics));
        harness.HttpContext.Request.PathBase = "/shop";

        var script = ScriptOf(await RenderAsync(harness));

        Assert.Contains("w.addEventListener('CookiebotOnAccept',r);", script, StringComparison.Ordinal);
        Assert.Contains("w.addEventListener('CookiebotOnDecline',r);", script, StringComparison.Ordinal);
        Assert.Contains("w.Clerk('config',{visitor:v})", script, StringComparison.Ordinal);
        var arguments = script[(script.LastIndexOf("})(window,document,", StringComparison.Ordinal) + "})(window,document,".Length)..];
        Assert.Equal("/shop/clerk/visitor", Hostile.JsonAfter(arguments, "").GetString());
        Assert.Contains("[\"CookieConsent\"],\"Serverside0000Id\");", arguments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_WithOneTrustAndCookieYes_ListensForBothToolsEvents()
    {
        using var harness = new TagHelperHarness(
            visitor: Visitor.Disabled(),
            services: s => s
                .AddClerkConsentTool(ClerkConsentTool.OneTrust, ClerkConsentCategory.Marketing)
                .AddClerkConsentTool(ClerkConsentTool.CookieYes, ClerkConsentCategory.Marketing));

        var script = ScriptOf(await RenderAsync(harness));

        Assert.Contains("w.addEventListener('OneTrustGroupsUpdated',r);", script, StringComparison.Ordinal);
        Assert.Contains("d.addEventListener('cookieyes_consent_update',r);", script, StringComparison.Ordinal);
        Assert.EndsWith("[\"OptanonConsent\",\"cookieyes-consent\"],null);", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ConsentToolInApiMode_RendersNoConsentListener()
    {
        using var harness = new TagHelperHarness(
            configure: o => o.Mode = ClerkIntegrationMode.Api,
            services: s => s.AddClerkConsentTool(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics));

        Assert.DoesNotContain("CookiebotOnAccept", ScriptOf(await RenderAsync(harness)), StringComparison.Ordinal);
    }
}
