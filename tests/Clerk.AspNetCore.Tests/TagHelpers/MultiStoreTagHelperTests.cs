using System.Text.Json;
using Clerk.AspNetCore.Tests.Stores;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.TagHelpers;

/// <summary>With several Clerk stores, every tag helper speaks for the request's store: its key, language, globals and ledger.</summary>
public sealed class MultiStoreTagHelperTests
{
    private static readonly ClerkSaleLine[] OneLine = [new(12, 99.95m, 1)];

    [Theory]
    [InlineData("/", StoreTestOptions.DanishKey, "danish", "kr.")]
    [InlineData("/en/products/1", StoreTestOptions.EnglishKey, "english", "€")]
    public async Task ClerkScript_RequestOfAStore_ConfiguresThatStoresKeyLanguageAndGlobals(string path, string key, string language, string currency)
    {
        using var harness = new TagHelperHarness(configure: StoreTestOptions.TwoStores);
        harness.HttpContext.Request.Path = path;

        var config = ConfigOf(await RenderScriptAsync(harness));

        Assert.Equal(key, config.GetProperty("key").GetString());
        Assert.Equal(language, config.GetProperty("language").GetString());
        Assert.Equal(currency, config.GetProperty("globals").GetProperty("currency_symbol").GetString());
    }

    [Fact]
    public async Task ClerkScript_PagesLanguageAttribute_WinsOverTheStores()
    {
        using var harness = new TagHelperHarness(configure: StoreTestOptions.TwoStores);
        harness.HttpContext.Request.Path = "/en";
        var helper = harness.Create<ClerkScriptTagHelper>();
        helper.Language = "german";

        var config = ConfigOf(await harness.RenderAsync(helper, "clerk-script", tagMode: TagMode.SelfClosing));

        Assert.Equal("german", config.GetProperty("language").GetString());
        Assert.Equal(StoreTestOptions.EnglishKey, config.GetProperty("key").GetString());
    }

    [Fact]
    public async Task ClerkScript_StoreWithItsOwnClerkJs_LoadsItOnlyForThatStore()
    {
        using var harness = new TagHelperHarness(configure: o =>
        {
            StoreTestOptions.TwoStores(o);
            o.Stores["en"].ClerkJsUrl = "https://custom.clerk.io/en-store.js";
        });

        harness.HttpContext.Request.Path = "/en";
        var english = ScriptOf(await RenderScriptAsync(harness));
        harness.NewRequest(Visitor.Persistent("AbC123xyZ0987654"));
        var danish = ScriptOf(await RenderScriptAsync(harness));

        Assert.Contains("https://custom.clerk.io/en-store.js", english, StringComparison.Ordinal);
        Assert.DoesNotContain("custom.clerk.io", danish, StringComparison.Ordinal);
        Assert.Contains(ClerkOptions.DefaultClerkJsUrl, danish, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hostile.Values), MemberType = typeof(Hostile))]
    public async Task ClerkScript_HostileStoreLanguageAndGlobal_StayInsideTheirJsonStrings(string value)
    {
        using var harness = new TagHelperHarness(configure: o =>
        {
            StoreTestOptions.TwoStores(o);
            o.Stores["en"].Language = value;
            o.Stores["en"].Globals["currency_symbol"] = value;
        }, validateOptions: false);
        harness.HttpContext.Request.Path = "/en";

        var html = await RenderScriptAsync(harness);

        // Parsed as HTML, the page has one script element, and its config reads back the exact values.
        var config = ConfigOf(html);
        if (!string.IsNullOrWhiteSpace(value))
        {
            // A blank language is no language (the store's own in my.clerk.io), not a blank one.
            Assert.Equal(value, config.GetProperty("language").GetString());
        }

        Assert.Equal(value, config.GetProperty("globals").GetProperty("currency_symbol").GetString());
    }

    [Fact]
    public async Task ClerkScript_NeverRendersAStoresPrivateKey()
    {
        using var harness = new TagHelperHarness(configure: StoreTestOptions.TwoStores);
        harness.HttpContext.Request.Path = "/en";

        var html = await RenderScriptAsync(harness);

        Assert.DoesNotContain(StoreTestOptions.EnglishPrivateKey, html, StringComparison.Ordinal);
        Assert.DoesNotContain(StoreTestOptions.DanishPrivateKey, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClerkSale_SameOrderNumberInTwoStores_RendersOncePerStore()
    {
        using var harness = new TagHelperHarness(configure: StoreTestOptions.TwoStores);

        var danish = await RenderSaleAsync(harness, "/");
        var danishAgain = await RenderSaleAsync(harness, "/");
        var english = await RenderSaleAsync(harness, "/en/orders/1");
        var englishAgain = await RenderSaleAsync(harness, "/en/orders/1");

        Assert.Contains("data-sale=\"1001\"", danish, StringComparison.Ordinal);
        Assert.Contains("data-sale=\"1001\"", english, StringComparison.Ordinal);
        Assert.DoesNotContain("data-sale", danishAgain, StringComparison.Ordinal);
        Assert.DoesNotContain("data-sale", englishAgain, StringComparison.Ordinal);
        var ledger = harness.Services.GetRequiredService<IClerkSaleLedger>();
        Assert.False(await ledger.TryClaimAsync(StoreTestOptions.EnglishKey, "1001", TestContext.Current.CancellationToken));
        Assert.True(await ledger.TryClaimAsync("pub-other", "1001", TestContext.Current.CancellationToken));
    }

    private static async Task<string> RenderSaleAsync(TagHelperHarness harness, string path)
    {
        harness.NewRequest(Visitor.Persistent("AbC123xyZ0987654")).Request.Path = path;
        var helper = harness.Create<ClerkSaleTagHelper>();
        helper.OrderId = "1001";
        helper.Lines = OneLine;
        return await harness.RenderAsync(helper, "clerk-sale");
    }

    private static Task<string> RenderScriptAsync(TagHelperHarness harness) =>
        harness.RenderAsync(harness.Create<ClerkScriptTagHelper>(), "clerk-script", tagMode: TagMode.SelfClosing);

    private static string ScriptOf(string html) =>
        Assert.Single(TagHelperHarness.Parse(html).QuerySelectorAll("script")).TextContent;

    private static JsonElement ConfigOf(string html) => Hostile.JsonAfter(ScriptOf(html), "Clerk('config',");
}
