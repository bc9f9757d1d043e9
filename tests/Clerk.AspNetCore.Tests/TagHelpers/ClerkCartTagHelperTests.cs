using Clerk.AspNetCore.Tests.TestSupport;

namespace Clerk.AspNetCore.Tests.TagHelpers;

public sealed class ClerkCartTagHelperTests
{
    [Fact]
    public async Task Process_IntegerIds_SetsClerksCartWithNumbers()
    {
        using var harness = new TagHelperHarness();

        Assert.Equal("Clerk('cart','set',[101,102]);", await ScriptTextAsync(harness, new long[] { 101, 102 }));
    }

    [Fact]
    public async Task Process_StringIds_StayStrings()
    {
        using var harness = new TagHelperHarness();

        Assert.Equal("Clerk('cart','set',[\"A-1\"]);", await ScriptTextAsync(harness, new[] { "A-1" }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(new long[0])]
    public async Task Process_EmptyCart_EmptiesClerksCart(long[]? ids)
    {
        using var harness = new TagHelperHarness();

        Assert.Equal("Clerk('cart','set',[]);", await ScriptTextAsync(harness, ids));
    }

    [Fact]
    public async Task Process_MixedIdTypesInDevelopment_Throws()
    {
        using var harness = new TagHelperHarness(environment: "Development");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ScriptTextAsync(harness, new object[] { 1, "2" }));

        Assert.Contains("mixes integer and string product IDs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_NotIdsInProduction_RendersNothingAndWarns()
    {
        using var harness = new TagHelperHarness();
        var helper = harness.Create<ClerkCartTagHelper>();
        helper.Products = new object[] { 1.5 };

        Assert.Equal(string.Empty, await harness.RenderAsync(helper, "clerk-cart"));
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 26);
    }

    [Theory]
    [MemberData(nameof(Hostile.Values), MemberType = typeof(Hostile))]
    public async Task Process_HostileIds_StayInsideTheScriptAndParseBackExactly(string hostile)
    {
        using var harness = new TagHelperHarness(configure: o => o.CspNonce = _ => hostile);
        var helper = harness.Create<ClerkCartTagHelper>();
        helper.Products = new[] { "p" + hostile };

        var document = TagHelperHarness.Parse(await harness.RenderAsync(helper, "clerk-cart"));

        var script = Assert.Single(document.Body!.Children);
        Assert.Equal(hostile, script.GetAttribute("nonce"));
        Assert.Equal("p" + hostile, Hostile.JsonAfter(script.TextContent, "Clerk('cart','set',")[0].GetString());
    }

    [Fact]
    public async Task Process_ClerkDisabled_RendersNothing()
    {
        using var harness = new TagHelperHarness(configure: o => o.Enabled = false);

        Assert.Equal(string.Empty, await ScriptTextAsync(harness, new long[] { 1 }, expectScript: false));
    }

    private static async Task<string> ScriptTextAsync(TagHelperHarness harness, object? ids, bool expectScript = true)
    {
        var helper = harness.Create<ClerkCartTagHelper>();
        helper.Products = ids;
        var html = await harness.RenderAsync(helper, "clerk-cart");
        return expectScript ? Assert.Single(TagHelperHarness.Parse(html).QuerySelectorAll("script")).TextContent : html;
    }
}
