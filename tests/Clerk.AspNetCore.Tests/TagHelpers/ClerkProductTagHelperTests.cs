using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.TagHelpers;

public sealed class ClerkProductTagHelperTests
{
    [Fact]
    public async Task Process_IdAndPosition_RendersDataAttributesAndKeepsTheElement()
    {
        using var harness = new TagHelperHarness();
        var helper = Product(harness, "101", labels: "Search - Results");
        helper.Position = 3;

        var link = await RenderLinkAsync(harness, helper);

        Assert.Equal("A", link.TagName);
        Assert.Equal("/products/101", link.GetAttribute("href"));
        Assert.Equal("101", link.GetAttribute("data-clerk-product-id"));
        Assert.Equal("3", link.GetAttribute("data-clerk-position"));
    }

    [Fact]
    public async Task Process_IntegerId_MarksTheIdAsANumber()
    {
        using var harness = new TagHelperHarness();

        var link = await RenderLinkAsync(harness, Product(harness, 101L, labels: "Search - Results"));

        Assert.Equal("101", link.GetAttribute("data-clerk-product-id"));
        Assert.Equal("number", link.GetAttribute("data-clerk-product-type"));
    }

    [Fact]
    public async Task Process_IdOfAnotherTypeThanTheProductFeeds_IsReported()
    {
        using var harness = new TagHelperHarness();
        var types = harness.Services.GetRequiredService<Clerk.AspNetCore.Diagnostics.ProductIdTypes>();
        types.FeedServed(new ClerkProductId(101));

        await RenderLinkAsync(harness, Product(harness, "101", labels: "Search - Results"));

        Assert.Contains("a clerk-product-id attribute on a page sent \"101\" as a string", types.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_StringId_MarksTheIdAsAString()
    {
        using var harness = new TagHelperHarness();

        var link = await RenderLinkAsync(harness, Product(harness, "101", labels: "Search - Results"));

        Assert.Equal("101", link.GetAttribute("data-clerk-product-id"));
        Assert.Equal("string", link.GetAttribute("data-clerk-product-type"));
    }

    [Fact]
    public async Task Process_IdNeitherIntegerNorStringInDevelopment_ThrowsSayingHowToFix()
    {
        using var harness = new TagHelperHarness(environment: "Development");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderLinkAsync(harness, Product(harness, 1.5m, labels: "Search - Results")));

        Assert.Contains("an integer or a string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ExplicitLabels_RendersThemAsJsonList()
    {
        using var harness = new TagHelperHarness();

        var link = await RenderLinkAsync(harness, Product(harness, "101", labels: "Search - Results"));

        Assert.Equal(["Search - Results"], Hostile.StringList(link.GetAttribute("data-clerk-labels")));
    }

    [Fact]
    public async Task Process_OutsideResultsWithoutLabelsInDevelopment_ThrowsSayingHowToFix()
    {
        using var harness = new TagHelperHarness(environment: "Development");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderLinkAsync(harness, Product(harness, "101")));

        Assert.Contains("<clerk-results labels=", error.Message, StringComparison.Ordinal);
        Assert.Contains("clerk-labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_OutsideResultsWithoutLabelsInProduction_KeepsTheProductAndWarns()
    {
        using var harness = new TagHelperHarness();

        var link = await RenderLinkAsync(harness, Product(harness, "101"));

        Assert.Equal("101", link.GetAttribute("data-clerk-product-id"));
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 20 && e.Message.Contains("Product 101", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t")]
    public async Task Process_WhiteSpaceLabelsInProduction_RendersNoLabelsAndWarns(string labels)
    {
        using var harness = new TagHelperHarness();

        var link = await RenderLinkAsync(harness, Product(harness, "101", labels: labels));

        Assert.False(link.HasAttribute("data-clerk-labels"));
        Assert.Single(harness.Logs.ClerkRecords(), e => e.Id.Id == 20);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public async Task Process_EmptyProductIdInProduction_TracksNothingAndWarns(string? id)
    {
        using var harness = new TagHelperHarness();

        var link = await RenderLinkAsync(harness, Product(harness, id, labels: "Search - Results"));

        Assert.False(link.HasAttribute("data-clerk-product-id"));
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 26);
    }

    [Fact]
    public async Task Process_NegativePositionInProduction_LeavesPositionOutAndWarns()
    {
        using var harness = new TagHelperHarness();
        var helper = Product(harness, "101", labels: "Search - Results");
        helper.Position = -1;

        var link = await RenderLinkAsync(harness, helper);

        Assert.False(link.HasAttribute("data-clerk-position"));
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 26);
    }

    [Theory]
    [MemberData(nameof(Hostile.Values), MemberType = typeof(Hostile))]
    public async Task Process_HostileIdAndLabels_ParseBackExactly(string hostile)
    {
        using var harness = new TagHelperHarness();

        var link = await RenderLinkAsync(harness, Product(harness, "p" + hostile, labels: "l" + hostile));

        Assert.Equal("p" + hostile, link.GetAttribute("data-clerk-product-id"));
        Assert.Equal(["l" + hostile], Hostile.StringList(link.GetAttribute("data-clerk-labels")));
        Assert.Empty(link.QuerySelectorAll("*"));
    }

    [Fact]
    public async Task Process_ClerkDisabled_LeavesTheElementUntouched()
    {
        using var harness = new TagHelperHarness(configure: o => o.Enabled = false);

        var link = await RenderLinkAsync(harness, Product(harness, "101", labels: "Search - Results"));

        Assert.False(link.HasAttribute("data-clerk-product-id"));
        Assert.Equal("/products/101", link.GetAttribute("href"));
    }

    private static ClerkProductTagHelper Product(TagHelperHarness harness, object? id, string? labels = null)
    {
        var helper = harness.Create<ClerkProductTagHelper>();
        helper.ProductId = id;
        helper.Labels = labels;
        return helper;
    }

    private static async Task<AngleSharp.Dom.IElement> RenderLinkAsync(TagHelperHarness harness, ClerkProductTagHelper helper)
    {
        var html = await harness.RenderAsync(helper, "a", [new TagHelperAttribute("href", "/products/101")], () => Task.FromResult("Product"));
        return Assert.Single(TagHelperHarness.Parse(html).Body!.Children);
    }
}
