using System.Globalization;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.TagHelpers.Markup;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore;

/// <summary>
/// <c>clerk-product-id="@product.Id"</c> on any element marks a product that Clerk chose, so that clicks on it are
/// logged (<c>data-clerk-product-id</c>, which <c>&lt;clerk-script&gt;</c> tells Clerk.js to track). Its labels come
/// from the enclosing <c>&lt;clerk-results&gt;</c>, or from <c>clerk-labels</c>; <c>clerk-position</c> is its
/// 0-based position in the results. <c>data-clerk-product-type</c> (<c>number</c> or <c>string</c>) keeps the ID's JSON
/// type for the API-mode beacon script, since Clerk treats <c>104</c> and <c>"104"</c> as different products.
/// </summary>
[HtmlTargetElement("*", Attributes = ProductIdAttributeName)]
public sealed class ClerkProductTagHelper : TagHelper
{
    private const string ProductIdAttributeName = "clerk-product-id";
    private const string LabelsAttributeName = "clerk-labels";
    private const string PositionAttributeName = "clerk-position";

    private readonly ClerkOptions _options;
    private readonly MarkupDiagnostics _diagnostics;
    private readonly ProductIdTypes _idTypes;

    /// <summary>Created by Razor.</summary>
    /// <param name="services">The app's services, where <c>AddClerk</c> registered the Clerk services.</param>
    public ClerkProductTagHelper(IServiceProvider services)
    {
        var markup = MarkupServices.From(services);
        _options = markup.Options;
        _diagnostics = markup.Diagnostics;
        _idTypes = markup.IdTypes;
    }

    /// <summary>
    /// The parent product's catalog ID, as Clerk returned it: an integer (sent as a JSON number) or a string (sent as
    /// a JSON string), the type the product feed uses. Never a variant ID or a SKU.
    /// </summary>
    [HtmlAttributeName(ProductIdAttributeName)]
    public object? ProductId { get; set; }

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

        _diagnostics.Contain(
            ProductIdAttributeName,
            (Helper: this, Output: output),
            static s => s.Helper.Render(s.Output),
            static s =>
            {
                s.Output.Attributes.RemoveAll("data-clerk-product-id");
                s.Output.Attributes.RemoveAll("data-clerk-product-type");
                s.Output.Attributes.RemoveAll("data-clerk-position");
                s.Output.Attributes.RemoveAll("data-clerk-labels");
            });
    }

    private void Render(TagHelperOutput output)
    {
        if (ProductId is null || ProductId is string text && string.IsNullOrWhiteSpace(text))
        {
            _diagnostics.MarkupInvalid(
                $"A {ProductIdAttributeName} attribute on <{output.TagName}> is empty, so its clicks cannot be logged. Pass the parent product's catalog ID: {ProductIdAttributeName}=\"@product.Id\".");
            return;
        }

        if (!ClerkProductId.TryFrom(ProductId, out var id))
        {
            _diagnostics.MarkupInvalid(
                $"{ProductIdAttributeName} on <{output.TagName}> is a {ProductId.GetType().Name}; a Clerk product ID is an integer or a string, of the type your product feed uses. Pass {ProductIdAttributeName}=\"@product.Id\" with an integer ID, or convert it to the feed's string: {ProductIdAttributeName}=\"@product.Id.ToString()\".");
            return;
        }

        _idTypes.Seen(id, ProductIdSource.ProductMarkup);
        output.Attributes.SetAttribute("data-clerk-product-id", id.ToString());
        output.Attributes.SetAttribute("data-clerk-product-type", id.IsNumber ? "number" : "string");
        if (Position is { } position)
        {
            if (position < 0)
            {
                _diagnostics.MarkupInvalid(
                    $"{PositionAttributeName}=\"{position}\" on product {id} is negative. Positions count from 0 for the first product Clerk returned.");
            }
            else
            {
                output.Attributes.SetAttribute("data-clerk-position", position.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (Labels is not null)
        {
            if (ClerkLabels.Problem(Labels, $"Product {id} ({LabelsAttributeName})") is { } problem)
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
                $"Product {id} (<{output.TagName} {ProductIdAttributeName}>) is not inside a <clerk-results labels=\"...\"> and has no {LabelsAttributeName}=\"...\", so its clicks carry no label. Wrap the products in <clerk-results labels=\"Home - Trending\">, or add {LabelsAttributeName}.");
        }
    }
}
