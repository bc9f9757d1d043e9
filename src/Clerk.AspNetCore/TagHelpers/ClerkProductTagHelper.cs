using System.Globalization;
using Clerk.AspNetCore.TagHelpers.Markup;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore;

/// <summary>
/// <c>clerk-product-id="@product.Id"</c> on any element marks a product that Clerk chose, so that clicks on it are
/// logged (<c>data-clerk-product-id</c>, which <c>&lt;clerk-script&gt;</c> tells Clerk.js to track). Its labels come
/// from the enclosing <c>&lt;clerk-results&gt;</c>, or from <c>clerk-labels</c>; <c>clerk-position</c> is its
/// 0-based position in the results.
/// </summary>
[HtmlTargetElement("*", Attributes = ProductIdAttributeName)]
public sealed class ClerkProductTagHelper : TagHelper
{
    private const string ProductIdAttributeName = "clerk-product-id";
    private const string LabelsAttributeName = "clerk-labels";
    private const string PositionAttributeName = "clerk-position";

    private readonly ClerkOptions _options;
    private readonly MarkupDiagnostics _diagnostics;

    /// <summary>Created by Razor.</summary>
    /// <param name="services">The app's services, where <c>AddClerk</c> registered the Clerk services.</param>
    public ClerkProductTagHelper(IServiceProvider services)
    {
        var markup = MarkupServices.From(services);
        _options = markup.Options;
        _diagnostics = markup.Diagnostics;
    }

    /// <summary>The parent product's catalog ID, as Clerk returned it. Never a variant ID or a SKU.</summary>
    [HtmlAttributeName(ProductIdAttributeName)]
    public string? ProductId { get; set; }

    /// <summary>The label for this element's clicks, when it is not inside a <c>&lt;clerk-results&gt;</c>.</summary>
    [HtmlAttributeName(LabelsAttributeName)]
    public string? Labels { get; set; }

    /// <summary>The product's 0-based position in the results Clerk returned.</summary>
    [HtmlAttributeName(PositionAttributeName)]
    public int? Position { get; set; }

    /// <summary>The view being rendered; set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!_options.Enabled)
        {
            return;
        }

        _diagnostics.Contain(ProductIdAttributeName, () => Render(output), () =>
        {
            output.Attributes.RemoveAll("data-clerk-product-id");
            output.Attributes.RemoveAll("data-clerk-position");
            output.Attributes.RemoveAll("data-clerk-labels");
        });
    }

    private void Render(TagHelperOutput output)
    {
        if (string.IsNullOrWhiteSpace(ProductId))
        {
            _diagnostics.MarkupInvalid(
                $"A {ProductIdAttributeName} attribute on <{output.TagName}> is empty, so its clicks cannot be logged. Pass the parent product's catalog ID: {ProductIdAttributeName}=\"@product.Id\".");
            return;
        }

        output.Attributes.SetAttribute("data-clerk-product-id", ProductId);
        if (Position is { } position)
        {
            if (position < 0)
            {
                _diagnostics.MarkupInvalid(
                    $"{PositionAttributeName}=\"{position}\" on product {ProductId} is negative. Positions count from 0 for the first product Clerk returned.");
            }
            else
            {
                output.Attributes.SetAttribute("data-clerk-position", position.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (Labels is not null)
        {
            if (ClerkLabels.Problem(Labels, $"Product {ProductId} ({LabelsAttributeName})") is { } problem)
            {
                _diagnostics.LabelsMissing(problem);
                return;
            }

            MarkupAttributes.SetJson(output, "data-clerk-labels", MarkupJson.Serialize(new[] { Labels }, MarkupJson.Labels));
            return;
        }

        // Inside a block with broken labels the block has already been reported; outside any block it is news.
        if (!PageBlocks.For(ViewContext.HttpContext).InsideResultsBlock)
        {
            _diagnostics.LabelsMissing(
                $"Product {ProductId} (<{output.TagName} {ProductIdAttributeName}>) is not inside a <clerk-results labels=\"...\"> and has no {LabelsAttributeName}=\"...\", so its clicks carry no label. Wrap the products in <clerk-results labels=\"Home - Trending\">, or add {LabelsAttributeName}.");
        }
    }
}
