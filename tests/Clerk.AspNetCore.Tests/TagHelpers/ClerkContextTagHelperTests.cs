using System.Text.Json;
using Clerk.AspNetCore.Tests.TestSupport;

namespace Clerk.AspNetCore.Tests.TagHelpers;

public sealed class ClerkContextTagHelperTests
{
    [Fact]
    public async Task Process_IntegerProduct_RendersContextCommandWithANumber()
    {
        using var harness = new TagHelperHarness();
        var helper = harness.Create<ClerkContextTagHelper>();
        helper.Product = 101;

        var script = await ScriptAsync(harness, helper);

        Assert.StartsWith("Clerk('context',", script.TextContent, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, Context(script).GetProperty("product").ValueKind);
        Assert.Equal(101, Context(script).GetProperty("product").GetInt32());
    }

    [Fact]
    public async Task Process_StringProductCategoryAndPage_RendersThemAll()
    {
        using var harness = new TagHelperHarness();
        var helper = harness.Create<ClerkContextTagHelper>();
        helper.Product = "SKU-9";
        helper.Category = 4;
        helper.Page = "product";

        var context = Context(await ScriptAsync(harness, helper));

        Assert.Equal("SKU-9", context.GetProperty("product").GetString());
        Assert.Equal(4, context.GetProperty("category").GetInt32());
        Assert.Equal("product", context.GetProperty("page").GetString());
    }

    [Fact]
    public async Task Process_Nothing_InDevelopment_ThrowsSayingWhatToAdd()
    {
        using var harness = new TagHelperHarness(environment: "Development");
        var helper = harness.Create<ClerkContextTagHelper>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.RenderAsync(helper, "clerk-context"));

        Assert.Contains("page=\"homepage\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_NotAnIdInProduction_RendersNothingAndWarns()
    {
        using var harness = new TagHelperHarness();
        var helper = harness.Create<ClerkContextTagHelper>();
        helper.Product = 1.5m;

        Assert.Equal(string.Empty, await harness.RenderAsync(helper, "clerk-context"));
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 26);
    }

    [Fact]
    public async Task Process_Nonce_LandsOnScript()
    {
        using var harness = new TagHelperHarness(configure: o => o.CspNonce = _ => "n0nce");
        var helper = harness.Create<ClerkContextTagHelper>();
        helper.Page = "homepage";

        Assert.Equal("n0nce", (await ScriptAsync(harness, helper)).GetAttribute("nonce"));
    }

    [Theory]
    [MemberData(nameof(Hostile.Values), MemberType = typeof(Hostile))]
    public async Task Process_HostileValues_StayInsideTheScriptAndParseBackExactly(string hostile)
    {
        using var harness = new TagHelperHarness();
        var helper = harness.Create<ClerkContextTagHelper>();
        helper.Product = "p" + hostile;
        helper.Category = "c" + hostile;
        helper.Page = "x" + hostile;

        var context = Context(await ScriptAsync(harness, helper));

        Assert.Equal("p" + hostile, context.GetProperty("product").GetString());
        Assert.Equal("c" + hostile, context.GetProperty("category").GetString());
        Assert.Equal("x" + hostile, context.GetProperty("page").GetString());
    }

    [Fact]
    public async Task Process_ClerkDisabled_RendersNothing()
    {
        using var harness = new TagHelperHarness(configure: o => o.Enabled = false);
        var helper = harness.Create<ClerkContextTagHelper>();
        helper.Product = 101;

        Assert.Equal(string.Empty, await harness.RenderAsync(helper, "clerk-context"));
    }

    private static async Task<AngleSharp.Dom.IElement> ScriptAsync(TagHelperHarness harness, ClerkContextTagHelper helper)
    {
        var document = TagHelperHarness.Parse(await harness.RenderAsync(helper, "clerk-context"));
        var script = Assert.Single(document.QuerySelectorAll("script"));
        Assert.Single(document.Body!.Children);
        return script;
    }

    private static JsonElement Context(AngleSharp.Dom.IElement script) => Hostile.JsonAfter(script.TextContent, "Clerk('context',");
}
