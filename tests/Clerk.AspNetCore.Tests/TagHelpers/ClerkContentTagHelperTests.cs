using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore.Tests.TagHelpers;

public sealed class ClerkContentTagHelperTests
{
    [Fact]
    public async Task Process_Block_RendersClerksSpanWithEveryArgument()
    {
        using var harness = new TagHelperHarness();
        var helper = Content(harness, labels: "Product - Complementary");
        helper.Limit = 8;
        helper.Products = 101;
        helper.Category = 7;

        var span = await RenderAsync(harness, helper, [new TagHelperAttribute("class", "recs"), new TagHelperAttribute("data-exclude-from", ".clerk_0")]);

        Assert.Equal("SPAN", span.TagName);
        Assert.Equal(["recs", "clerk"], span.ClassList);
        Assert.Equal("recommendations/popular", span.GetAttribute("data-api"));
        Assert.Equal("@home-popular", span.GetAttribute("data-template"));
        Assert.Equal(["Product - Complementary"], Hostile.StringList(span.GetAttribute("data-labels")));
        Assert.Equal("8", span.GetAttribute("data-limit"));
        Assert.Equal("[101]", span.GetAttribute("data-products"));
        Assert.Equal("7", span.GetAttribute("data-category"));
        Assert.Equal(".clerk_0", span.GetAttribute("data-exclude-from"));
    }

    [Fact]
    public async Task Process_StringProductIds_StayStrings()
    {
        using var harness = new TagHelperHarness();
        var helper = Content(harness);
        helper.Products = new[] { "SKU-1", "SKU-2" };

        var span = await RenderAsync(harness, helper);

        Assert.Equal("[\"SKU-1\",\"SKU-2\"]", span.GetAttribute("data-products"));
    }

    [Fact]
    public async Task Process_IntegerProductIdList_StaysNumbers()
    {
        using var harness = new TagHelperHarness();
        var helper = Content(harness);
        helper.Products = new List<long> { 101, 102 };

        var span = await RenderAsync(harness, helper);

        Assert.Equal("[101,102]", span.GetAttribute("data-products"));
    }

    [Fact]
    public async Task Process_MixedProductIdTypesInDevelopment_ThrowsNamingTheRule()
    {
        using var harness = new TagHelperHarness(environment: "Development");
        var helper = Content(harness);
        helper.Products = new object[] { 101, "102" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(harness, helper));

        Assert.Contains("mixes integer and string product IDs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ProductsNotIdsInProduction_LeavesThemOutAndWarns()
    {
        using var harness = new TagHelperHarness();
        var helper = Content(harness);
        helper.Products = DateTime.UnixEpoch;

        var span = await RenderAsync(harness, helper);

        Assert.False(span.HasAttribute("data-products"));
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 26);
    }

    [Theory]
    [InlineData(null, "@t", "has no api")]
    [InlineData("log/sale", "@t", "Use <clerk-sale>")]
    [InlineData("recommendations/popular?x=1", "@t", "is not a Clerk endpoint")]
    [InlineData("recommendations/popular", null, "has no template")]
    [InlineData("recommendations/popular", " ", "has no template")]
    public async Task Process_UnusableApiOrTemplateInDevelopment_ThrowsSayingWhy(string? api, string? template, string expected)
    {
        using var harness = new TagHelperHarness(environment: "Development");
        var helper = Content(harness, api: api, template: template);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(harness, helper, expectElement: false));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_NoApiInProduction_RendersNothingAndWarns()
    {
        using var harness = new TagHelperHarness();

        var html = await harness.RenderAsync(Content(harness, api: null), "clerk-content");

        Assert.Equal(string.Empty, html);
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 26);
    }

    [Fact]
    public async Task Process_NoLabelsInDevelopment_Throws()
    {
        using var harness = new TagHelperHarness(environment: "Development");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(harness, Content(harness, labels: null)));

        Assert.Contains("has no labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_NoLabelsInProduction_StillRendersTheBlockAndWarns()
    {
        using var harness = new TagHelperHarness();

        var span = await RenderAsync(harness, Content(harness, labels: "  "));

        Assert.False(span.HasAttribute("data-labels"));
        Assert.Equal("recommendations/popular", span.GetAttribute("data-api"));
        Assert.Single(harness.Logs.ClerkRecords(), e => e.Id.Id == 20);
    }

    [Fact]
    public async Task Process_LabelOfAResultsBlockOnThePage_IsReported()
    {
        using var harness = new TagHelperHarness();
        await ClerkResultsTagHelperTests.RenderBlockAsync(harness, "Home - Popular");

        await RenderAsync(harness, Content(harness, labels: "Home - Popular"));

        Assert.Single(harness.Logs.ClerkRecords(), e => e.Id.Id == 21);
    }

    [Theory]
    [MemberData(nameof(Hostile.Values), MemberType = typeof(Hostile))]
    public async Task Process_HostileValues_ParseBackExactly(string hostile)
    {
        using var harness = new TagHelperHarness();
        var helper = Content(harness, template: "@" + hostile, labels: "l" + hostile);
        helper.Products = new[] { "p" + hostile };
        helper.Category = "c" + hostile;

        var span = await RenderAsync(harness, helper);

        Assert.Equal("@" + hostile, span.GetAttribute("data-template"));
        Assert.Equal(["l" + hostile], Hostile.StringList(span.GetAttribute("data-labels")));
        Assert.Equal(["p" + hostile], Hostile.StringList(span.GetAttribute("data-products")));
        Assert.Equal("c" + hostile, span.GetAttribute("data-category"));
    }

    [Fact]
    public async Task Process_ClerkDisabled_RendersNothing()
    {
        using var harness = new TagHelperHarness(configure: o => o.Enabled = false);

        Assert.Equal(string.Empty, await harness.RenderAsync(Content(harness), "clerk-content"));
    }

    private static ClerkContentTagHelper Content(
        TagHelperHarness harness, string? api = "recommendations/popular", string? template = "@home-popular", string? labels = "Home - Popular")
    {
        var helper = harness.Create<ClerkContentTagHelper>();
        helper.Api = api;
        helper.Template = template;
        helper.Labels = labels;
        return helper;
    }

    private static async Task<AngleSharp.Dom.IElement> RenderAsync(
        TagHelperHarness harness, ClerkContentTagHelper helper, TagHelperAttributeList? attributes = null, bool expectElement = true)
    {
        var html = await harness.RenderAsync(helper, "clerk-content", attributes);
        var body = TagHelperHarness.Parse(html).Body!;
        return expectElement ? Assert.Single(body.Children) : body;
    }
}
