using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Clerk.AspNetCore.Tests.TagHelpers;

public sealed class ClerkResultsTagHelperTests
{
    [Fact]
    public async Task ProcessAsync_Labels_RendersDivWithLabelsAsJsonListAndApi()
    {
        using var harness = new TagHelperHarness();

        var element = await RenderBlockAsync(harness, "Home - Trending", api: "recommendations/trending");

        Assert.Equal("DIV", element.TagName);
        Assert.Equal(["Home - Trending"], Hostile.StringList(element.GetAttribute("data-clerk-labels")));
        Assert.Equal("recommendations/trending", element.GetAttribute("data-clerk-api"));
    }

    [Fact]
    public async Task ProcessAsync_As_RendersThatElementAroundTheShopsMarkup()
    {
        using var harness = new TagHelperHarness();
        var helper = harness.Create<ClerkResultsTagHelper>();
        helper.Labels = "Home - Trending";
        helper.As = "ul";

        var html = await harness.RenderAsync(helper, "clerk-results", [new TagHelperAttribute("class", "grid")], () => Task.FromResult("<li>one</li>"));

        var list = TagHelperHarness.Parse(html).Body!.FirstElementChild!;
        Assert.Equal("UL", list.TagName);
        Assert.Equal("grid", list.GetAttribute("class"));
        Assert.Equal("one", list.QuerySelector("li")!.TextContent);
    }

    [Theory]
    [InlineData("ul onclick=alert(1)")]
    [InlineData("\"><script>")]
    [InlineData("1ul")]
    public async Task ProcessAsync_AsIsNotAnElementNameInProduction_RendersDivAndWarns(string hostile)
    {
        using var harness = new TagHelperHarness();
        var helper = harness.Create<ClerkResultsTagHelper>();
        helper.Labels = "Home - Trending";
        helper.As = hostile;

        var html = await harness.RenderAsync(helper, "clerk-results");

        Assert.Equal("DIV", Assert.Single(TagHelperHarness.Parse(html).Body!.Children).TagName);
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 26);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task ProcessAsync_MissingLabelsInDevelopment_ThrowsSayingHowToFix(string? labels)
    {
        using var harness = new TagHelperHarness(environment: "Development");
        var helper = harness.Create<ClerkResultsTagHelper>();
        helper.Labels = labels;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.RenderAsync(helper, "clerk-results"));

        Assert.Contains("labels=\"Home - Trending\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task ProcessAsync_MissingLabelsInProduction_RendersProductsAndLogsOneWarning(string? labels)
    {
        using var harness = new TagHelperHarness();
        using var problems = new MetricCollector<long>(harness.Services.GetRequiredService<IMeterFactory>(), "Clerk.AspNetCore", "clerk.markup.problems");

        var element = await RenderBlockAsync(harness, labels, products: ["101", "102"]);

        Assert.False(element.HasAttribute("data-clerk-labels"));
        Assert.Equal(2, element.QuerySelectorAll("[data-clerk-product-id]").Length);
        Assert.Single(harness.Logs.ClerkRecords(), e => e.Id.Id == 20);
        Assert.Equal("labels_missing", Assert.Single(problems.GetMeasurementSnapshot()).Tags["clerk.problem"]);
    }

    [Fact]
    public async Task ProcessAsync_SameLabelOnTwoBlocksInDevelopment_ThrowsNamingBothBlocks()
    {
        using var harness = new TagHelperHarness(environment: "Development");
        await RenderBlockAsync(harness, "Home - Trending");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderBlockAsync(harness, "Home - Trending"));

        Assert.Contains("uses the label of <clerk-results labels=\"Home - Trending\">", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_SameLabelOnTwoBlocksInProduction_RendersBothAndWarns()
    {
        using var harness = new TagHelperHarness();
        await RenderBlockAsync(harness, "Home - Trending");

        var second = await RenderBlockAsync(harness, "Home - Trending");

        Assert.True(second.HasAttribute("data-clerk-labels"));
        Assert.Single(harness.Logs.ClerkRecords(), e => e.Id.Id == 21);
    }

    [Fact]
    public async Task ProcessAsync_SameLabelOnAnotherPage_IsNotReused()
    {
        using var harness = new TagHelperHarness(environment: "Development");
        await RenderBlockAsync(harness, "Home - Trending");
        harness.NewRequest(Visitor.Persistent("AbC123xyZ0987654"));

        await RenderBlockAsync(harness, "Home - Trending");
    }

    [Fact]
    public async Task ProcessAsync_DistinctLabels_AreFine()
    {
        using var harness = new TagHelperHarness(environment: "Development");

        await RenderBlockAsync(harness, "Home - Trending");
        await RenderBlockAsync(harness, "Home - Popular");

        Assert.DoesNotContain(harness.Logs.ClerkRecords(), e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task ProcessAsync_ProductsInside_TakeTheBlocksLabelsWithoutComplaint()
    {
        // Development throws for a product without labels; inside the block (rendered as a partial view would be,
        // with a context of its own) the product finds the block's labels, so nothing throws.
        using var harness = new TagHelperHarness(environment: "Development");

        var element = await RenderBlockAsync(harness, "Home - Trending", products: ["101", "102"]);

        Assert.Equal(2, element.QuerySelectorAll("[data-clerk-product-id]").Length);
    }

    [Fact]
    public async Task ProcessAsync_ClerkDisabled_KeepsTheRequestedElement()
    {
        using var harness = new TagHelperHarness(configure: o => o.Enabled = false);
        var helper = harness.Create<ClerkResultsTagHelper>();
        helper.As = "ul";

        var html = await harness.RenderAsync(helper, "clerk-results");

        Assert.Equal("UL", Assert.Single(TagHelperHarness.Parse(html).Body!.Children).TagName);
    }

    [Theory]
    [MemberData(nameof(Hostile.Values), MemberType = typeof(Hostile))]
    public async Task ProcessAsync_HostileLabelAndApi_ParseBackExactly(string hostile)
    {
        using var harness = new TagHelperHarness();

        var element = await RenderBlockAsync(harness, "x" + hostile, api: hostile);

        Assert.Equal(["x" + hostile], Hostile.StringList(element.GetAttribute("data-clerk-labels")));
        if (!string.IsNullOrWhiteSpace(hostile))
        {
            Assert.Equal(hostile, element.GetAttribute("data-clerk-api"));
        }
    }

    [Fact]
    public async Task ProcessAsync_ClerkDisabled_RendersTheShopsMarkupOnly()
    {
        using var harness = new TagHelperHarness(configure: o => o.Enabled = false);

        var element = await RenderBlockAsync(harness, "Home - Trending", products: ["101"]);

        Assert.False(element.HasAttribute("data-clerk-labels"));
        Assert.Equal("101", element.QuerySelector("a")!.TextContent);
    }

    /// <summary>A block whose products are rendered by their own tag helpers, as a partial view would.</summary>
    internal static async Task<AngleSharp.Dom.IElement> RenderBlockAsync(
        TagHelperHarness harness, string? labels, string? api = null, string[]? products = null)
    {
        var helper = harness.Create<ClerkResultsTagHelper>();
        helper.Labels = labels;
        helper.Api = api;
        var html = await harness.RenderAsync(helper, "clerk-results", childContent: async () =>
        {
            var items = new List<string>();
            foreach (var id in products ?? [])
            {
                var product = harness.Create<ClerkProductTagHelper>();
                product.ProductId = id;
                items.Add(await harness.RenderAsync(product, "a", childContent: () => Task.FromResult(id)));
            }

            return string.Concat(items);
        });
        return TagHelperHarness.Parse(html).Body!.FirstElementChild!;
    }
}
