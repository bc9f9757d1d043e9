using System.Text.Json;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.TagHelpers;

public sealed class ClerkScriptTagHelperTests
{
    [Fact]
    public async Task Process_PersistentVisitor_ConfiguresKeyAndVisitorId()
    {
        using var harness = new TagHelperHarness(visitor: Visitor.Persistent("AbC123xyZ0987654"));

        var config = ConfigOf(await RenderAsync(harness));

        Assert.Equal(TagHelperHarness.PublicKey, config.GetProperty("key").GetString());
        Assert.Equal("AbC123xyZ0987654", config.GetProperty("visitor").GetString());
    }

    [Fact]
    public async Task Process_CookielessVisitor_ConfiguresServerDerivedId()
    {
        using var harness = new TagHelperHarness(visitor: Visitor.Cookieless("Serverside0000Id"));

        var config = ConfigOf(await RenderAsync(harness));

        Assert.Equal("Serverside0000Id", config.GetProperty("visitor").GetString());
    }

    [Fact]
    public async Task Process_DisabledVisitor_ConfiguresVisitorNull()
    {
        using var harness = new TagHelperHarness(visitor: Visitor.Disabled());

        var config = ConfigOf(await RenderAsync(harness));

        Assert.Equal(JsonValueKind.Null, config.GetProperty("visitor").ValueKind);
    }

    [Fact]
    public async Task Process_Default_LoadsClerkJsAsyncFromCdnThenQueuesCommands()
    {
        using var harness = new TagHelperHarness();

        var script = ScriptOf(await RenderAsync(harness));

        Assert.Equal(ClerkOptions.DefaultClerkJsUrl, Hostile.JsonAfter(script, "e.src=").GetString());
        Assert.Contains("e.async=true", script, StringComparison.Ordinal);
        Assert.Contains("w.__clerk_q.push(arguments)", script, StringComparison.Ordinal);
        Assert.True(script.IndexOf("Clerk('config',", StringComparison.Ordinal) > script.IndexOf("})(window,document);", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_RootRelativeClerkJsUrl_FollowsPathBase()
    {
        using var harness = new TagHelperHarness(configure: o => o.ClerkJsUrl = "/clerk-emulator/clerk.js");
        harness.HttpContext.Request.PathBase = "/shop";

        var script = ScriptOf(await RenderAsync(harness));

        Assert.Equal("/shop/clerk-emulator/clerk.js", Hostile.JsonAfter(script, "e.src=").GetString());
    }

    [Fact]
    public async Task Process_Default_TracksClicksOnMarkedProducts()
    {
        using var harness = new TagHelperHarness();

        var script = ScriptOf(await RenderAsync(harness));

        Assert.EndsWith("Clerk('click','*[data-clerk-product-id]');", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_TrackClicksOffInOptions_DoesNotTrackClicks()
    {
        using var harness = new TagHelperHarness(configure: o => o.TrackClicks = false);

        Assert.DoesNotContain("Clerk('click'", ScriptOf(await RenderAsync(harness)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_TrackClicksAttribute_OverridesOptions()
    {
        using var harness = new TagHelperHarness(configure: o => o.TrackClicks = false);
        var helper = harness.Create<ClerkScriptTagHelper>();
        helper.TrackClicks = true;

        Assert.Contains("Clerk('click'", ScriptOf(await harness.RenderAsync(helper, "clerk-script")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_Development_TurnsOnClerkJsDebug()
    {
        using var harness = new TagHelperHarness(environment: "Development");

        var config = ConfigOf(await RenderAsync(harness));

        Assert.True(config.GetProperty("debug").GetProperty("enable").GetBoolean());
    }

    [Fact]
    public async Task Process_Production_LeavesDebugOff()
    {
        using var harness = new TagHelperHarness();

        Assert.False(ConfigOf(await RenderAsync(harness)).TryGetProperty("debug", out _));
    }

    [Fact]
    public async Task Process_LanguageAndGlobals_AreConfiguredWithPageValuesWinning()
    {
        using var harness = new TagHelperHarness(configure: o =>
        {
            o.Language = "danish";
            o.Globals["currency_symbol"] = "kr.";
            o.Globals["currency_iso"] = "DKK";
        });
        var helper = harness.Create<ClerkScriptTagHelper>();
        helper.Globals["currency_symbol"] = "DKK ";
        helper.Language = "english";

        var config = ConfigOf(await harness.RenderAsync(helper, "clerk-script"));

        Assert.Equal("english", config.GetProperty("language").GetString());
        Assert.Equal("DKK ", config.GetProperty("globals").GetProperty("currency_symbol").GetString());
        Assert.Equal("DKK", config.GetProperty("globals").GetProperty("currency_iso").GetString());
    }

    [Fact]
    public async Task Process_NoLanguageOrGlobals_LeavesThemOut()
    {
        using var harness = new TagHelperHarness();

        var config = ConfigOf(await RenderAsync(harness));

        Assert.False(config.TryGetProperty("language", out _));
        Assert.False(config.TryGetProperty("globals", out _));
    }

    [Fact]
    public async Task Process_NonceAttribute_LandsOnScript()
    {
        using var harness = new TagHelperHarness(configure: o => o.CspNonce = _ => "from-options");
        var helper = harness.Create<ClerkScriptTagHelper>();
        helper.Nonce = "from-attribute";

        var script = TagHelperHarness.Parse(await harness.RenderAsync(helper, "clerk-script")).QuerySelector("script")!;

        Assert.Equal("from-attribute", script.GetAttribute("nonce"));
    }

    [Fact]
    public async Task Process_NonceFromRequest_LandsOnScript()
    {
        using var harness = new TagHelperHarness(configure: o => o.CspNonce = context => context.Items["nonce"] as string);
        harness.HttpContext.Items["nonce"] = "r4nd0m==";

        var script = TagHelperHarness.Parse(await RenderAsync(harness)).QuerySelector("script")!;

        Assert.Equal("r4nd0m==", script.GetAttribute("nonce"));
    }

    [Fact]
    public async Task Process_NoNonce_RendersNoNonceAttribute()
    {
        using var harness = new TagHelperHarness();

        Assert.False(TagHelperHarness.Parse(await RenderAsync(harness)).QuerySelector("script")!.HasAttribute("nonce"));
    }

    [Theory]
    [MemberData(nameof(Hostile.Values), MemberType = typeof(Hostile))]
    public async Task Process_HostileValues_StayInsideTheScriptAndParseBackExactly(string hostile)
    {
        // Validation at start refuses such a key or URL; the encoding must not depend on it.
        using var harness = new TagHelperHarness(
            validateOptions: false,
            configure: o =>
            {
                o.PublicKey = hostile;
                o.Language = hostile;
                o.Globals[hostile] = hostile;
                o.ClerkJsUrl = "https://cdn.example/" + hostile;
                o.CspNonce = _ => hostile;
            },
            visitor: Visitor.Persistent(hostile));

        var html = await RenderAsync(harness);

        var document = TagHelperHarness.Parse(html);
        var script = Assert.Single(document.QuerySelectorAll("script"));
        Assert.Empty(document.Body!.Children.Except([script]));
        Assert.Equal(hostile, script.GetAttribute("nonce"));
        var text = script.TextContent;
        Assert.DoesNotContain('\u2028', text);
        Assert.DoesNotContain('\u2029', text);
        Assert.DoesNotContain("<!--", text, StringComparison.Ordinal);
        Assert.Equal("https://cdn.example/" + hostile, Hostile.JsonAfter(text, "e.src=").GetString());
        var config = Hostile.JsonAfter(text, "Clerk('config',");
        Assert.Equal(hostile, config.GetProperty("key").GetString());
        Assert.Equal(hostile, config.GetProperty("visitor").GetString());
        if (!string.IsNullOrWhiteSpace(hostile))
        {
            // A language of only white space counts as not set.
            Assert.Equal(hostile, config.GetProperty("language").GetString());
        }

        Assert.Equal(hostile, config.GetProperty("globals").GetProperty(hostile).GetString());
    }

    [Fact]
    public async Task Process_ClerkDisabled_RendersNothing()
    {
        using var harness = new TagHelperHarness(configure: o => o.Enabled = false);

        Assert.Equal(string.Empty, await RenderAsync(harness));
    }

    [Fact]
    public async Task Process_NoVisitorFeatureInProduction_ConfiguresVisitorNullAndWarns()
    {
        using var harness = new TagHelperHarness(withoutVisitorFeature: true);

        var config = ConfigOf(await RenderAsync(harness));

        Assert.Equal(JsonValueKind.Null, config.GetProperty("visitor").ValueKind);
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 22 && e.Message.Contains("UseClerkTracking()", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_NoVisitorFeatureInDevelopment_ThrowsNamingUseClerkTracking()
    {
        using var harness = new TagHelperHarness(environment: "Development", withoutVisitorFeature: true);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(harness));

        Assert.Contains("app.UseClerkTracking()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_FailureInProduction_RendersNothingAndLogsInsteadOfBreakingThePage()
    {
        using var harness = new TagHelperHarness(configure: o => o.CspNonce = _ => throw new InvalidCastException("nonce source broke"));

        var html = await RenderAsync(harness);

        Assert.Equal(string.Empty, html);
        var entry = Assert.Single(harness.Logs.ClerkRecords(), e => e.Id.Id == 27);
        Assert.IsType<InvalidCastException>(entry.Exception);
    }

    [Fact]
    public async Task Process_FailureInDevelopment_Throws()
    {
        using var harness = new TagHelperHarness(environment: "Development", configure: o => o.CspNonce = _ => throw new InvalidCastException("nonce source broke"));

        await Assert.ThrowsAsync<InvalidCastException>(() => RenderAsync(harness));
    }

    [Fact]
    public void Constructor_WithoutAddClerk_ThrowsNamingAddClerk()
    {
        using var services = new ServiceCollection().BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => new ClerkScriptTagHelper(services));

        Assert.Contains("AddClerk", error.Message, StringComparison.Ordinal);
    }

    private static Task<string> RenderAsync(TagHelperHarness harness) =>
        harness.RenderAsync(harness.Create<ClerkScriptTagHelper>(), "clerk-script", tagMode: TagMode.SelfClosing);

    private static string ScriptOf(string html) =>
        Assert.Single(TagHelperHarness.Parse(html).QuerySelectorAll("script")).TextContent;

    private static JsonElement ConfigOf(string html) => Hostile.JsonAfter(ScriptOf(html), "Clerk('config',");
}
