using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.TagHelpers;

/// <summary>The tag helpers in API mode (no Clerk.js) and with server-side sale tracking.</summary>
public sealed class ApiModeTagHelperTests
{
    private static readonly ClerkSaleLine[] Lines = [new(12, 99.95m, 2)];

    private static TagHelperHarness Api(string environment = "Production", Action<ClerkOptions>? configure = null) =>
        new(environment, o =>
        {
            o.Mode = ClerkIntegrationMode.Api;
            configure?.Invoke(o);
        });

    private static Task<string> RenderScriptAsync(TagHelperHarness harness, Action<ClerkScriptTagHelper>? set = null)
    {
        var helper = harness.Create<ClerkScriptTagHelper>();
        set?.Invoke(helper);
        return harness.RenderAsync(helper, "clerk-script", tagMode: TagMode.SelfClosing);
    }

    private static Task<string> RenderSaleAsync(TagHelperHarness harness, string orderId)
    {
        var helper = harness.Create<ClerkSaleTagHelper>();
        helper.OrderId = orderId;
        helper.Lines = Lines;
        return harness.RenderAsync(helper, "clerk-sale", tagMode: TagMode.SelfClosing);
    }

    [Fact]
    public async Task ClerkScript_ApiMode_RendersTheBeaconScriptAndNoClerkJs()
    {
        using var harness = Api();

        var html = await RenderScriptAsync(harness);

        var script = Assert.Single(TagHelperHarness.Parse(html).QuerySelectorAll("script"));
        Assert.Contains("sendBeacon", script.TextContent, StringComparison.Ordinal);
        Assert.Contains("\"/clerk/click\"", script.TextContent, StringComparison.Ordinal);
        Assert.Contains("[data-clerk-product-id]", script.TextContent, StringComparison.Ordinal);
        // The ID keeps the JSON type the product tag helper marked: Clerk treats 104 and "104" as different products.
        Assert.Contains("data-clerk-product-type", script.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("clerk.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Clerk('config'", html, StringComparison.Ordinal);
        Assert.DoesNotContain(TagHelperHarness.PublicKey, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClerkScript_ApiModeWithPathBaseAndNonce_PostsUnderThePathBaseWithTheNonce()
    {
        using var harness = Api(configure: o => o.BeaconPath = "/api/clicks");
        harness.HttpContext.Request.PathBase = "/shop";

        var html = await RenderScriptAsync(harness, h => h.Nonce = "n0nce\"<");

        var script = Assert.Single(TagHelperHarness.Parse(html).QuerySelectorAll("script"));
        Assert.Equal("n0nce\"<", script.GetAttribute("nonce"));
        Assert.Contains("\"/shop/api/clicks\"", script.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClerkScript_ApiModeHostilePathBase_StaysInsideTheScriptString()
    {
        using var harness = Api();
        harness.HttpContext.Request.PathBase = "/a</script><script>alert(1)//";

        var html = await RenderScriptAsync(harness);

        var document = TagHelperHarness.Parse(html);
        Assert.Single(document.QuerySelectorAll("script"));
        Assert.DoesNotContain("</script><script>", document.QuerySelector("script")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClerkScript_ApiModeClicksOff_RendersNothing()
    {
        using var harness = Api(configure: o => o.TrackClicks = false);

        Assert.Equal(string.Empty, await RenderScriptAsync(harness));
    }

    [Fact]
    public async Task ClerkContent_ApiModeInDevelopment_ThrowsSayingToRenderOnTheServer()
    {
        using var harness = Api("Development");
        var helper = harness.Create<ClerkContentTagHelper>();
        helper.Api = "recommendations/popular";
        helper.Template = "@home";
        helper.Labels = "Home - Popular";

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.RenderAsync(helper, "clerk-content"));

        Assert.Contains("IClerkClient", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClerkContextAndCart_ApiMode_RenderNothing()
    {
        using var harness = Api("Development");
        var context = harness.Create<ClerkContextTagHelper>();
        context.Page = "homepage";
        var cart = harness.Create<ClerkCartTagHelper>();
        cart.Products = new[] { 12 };

        Assert.Equal(string.Empty, await harness.RenderAsync(context, "clerk-context", tagMode: TagMode.SelfClosing));
        Assert.Equal(string.Empty, await harness.RenderAsync(cart, "clerk-cart", tagMode: TagMode.SelfClosing));
    }

    [Fact]
    public async Task ClerkSale_ServerSideTracking_RendersNoSaleOnlyTheCartReset()
    {
        using var harness = new TagHelperHarness(configure: o => o.SaleTracking = ClerkSaleTracking.ServerSide);

        var html = await RenderSaleAsync(harness, "ORD-1");

        var document = TagHelperHarness.Parse(html);
        Assert.Null(document.QuerySelector("[data-api='log/sale']"));
        Assert.Contains("Clerk('cart','set',[])", document.QuerySelector("script")!.TextContent, StringComparison.Ordinal);
        Assert.True(await harness.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(TagHelperHarness.PublicKey, "ORD-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ClerkSale_ApiMode_RendersNothing()
    {
        using var harness = Api();

        Assert.Equal(string.Empty, await RenderSaleAsync(harness, "ORD-1"));
    }

    [Fact]
    public async Task ClerkSale_FallbackAndTheServerSentTheOrder_RendersNoSale()
    {
        using var harness = new TagHelperHarness(configure: o => o.SaleTracking = ClerkSaleTracking.ServerSideWithClientFallback);
        var tracker = harness.Services.GetRequiredService<IClerkTracker>();
        Assert.Equal(ClerkSaleTrackingResult.Queued, await tracker.TrackSaleAsync(new ClerkSale("ORD-SRV", Lines), TestContext.Current.CancellationToken));

        var html = await RenderSaleAsync(harness, "ORD-SRV");

        Assert.Null(TagHelperHarness.Parse(html).QuerySelector("[data-api='log/sale']"));
    }

    [Fact]
    public async Task ClerkSale_FallbackAndTheServerDidNotSendTheOrder_RendersTheSale()
    {
        using var harness = new TagHelperHarness(configure: o => o.SaleTracking = ClerkSaleTracking.ServerSideWithClientFallback);

        var html = await RenderSaleAsync(harness, "ORD-PAGE");

        Assert.Equal("ORD-PAGE", TagHelperHarness.Parse(html).QuerySelector("[data-api='log/sale']")?.GetAttribute("data-sale"));
        Assert.Equal(ClerkSaleTrackingResult.AlreadySent, await harness.Services.GetRequiredService<IClerkTracker>().TrackSaleAsync(new ClerkSale("ORD-PAGE", Lines), TestContext.Current.CancellationToken));
    }
}
