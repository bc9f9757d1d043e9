using Clerk.AspNetCore.TagHelpers.Markup;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore;

/// <summary>
/// <c>&lt;clerk-results labels="Home - Trending" api="recommendations/trending"&gt;</c> wraps products that Clerk
/// chose and the shop renders. It renders a plain element (a <c>div</c>, or the element named by <c>as</c>) carrying
/// the labels, which every <c>clerk-product-id</c> element inside it uses for its clicks, in partial views too.
/// </summary>
[HtmlTargetElement(TagName)]
public sealed class ClerkResultsTagHelper : TagHelper
{
    private const string TagName = "clerk-results";
    private const string LabelsAttributeName = "labels";
    private const string ApiAttributeName = "api";
    private const string AsAttributeName = "as";

    private readonly ClerkOptions _options;
    private readonly MarkupDiagnostics _diagnostics;

    /// <summary>Created by Razor.</summary>
    /// <param name="services">The app's services, where <c>AddClerk</c> registered the Clerk services.</param>
    public ClerkResultsTagHelper(IServiceProvider services)
    {
        var markup = MarkupServices.From(services);
        _options = markup.Options;
        _diagnostics = markup.Diagnostics;
    }

    /// <summary>
    /// The label that names this element in Clerk's analytics, the same one sent with the call that returned the
    /// products; unique on the page, for example <c>Home - Trending</c>. Required.
    /// </summary>
    [HtmlAttributeName(LabelsAttributeName)]
    public string? Labels { get; set; }

    /// <summary>The Clerk endpoint that chose the products, such as <c>recommendations/trending</c>; sent with clicks.</summary>
    [HtmlAttributeName(ApiAttributeName)]
    public string? Api { get; set; }

    /// <summary>The element to render instead of <c>div</c>, such as <c>ul</c> or <c>section</c>.</summary>
    [HtmlAttributeName(AsAttributeName)]
    public string? As { get; set; }

    /// <summary>The view being rendered; set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    /// <inheritdoc/>
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = ElementName(report: false);
        output.TagMode = TagMode.StartTagAndEndTag;

        PageBlocks? openBlock = null;
        try
        {
            if (_options.Enabled)
            {
                output.TagName = ElementName(report: true);
                var page = PageBlocks.For(ViewContext.HttpContext);
                WriteLabels(page, output);
                if (!string.IsNullOrWhiteSpace(Api))
                {
                    output.Attributes.SetAttribute("data-clerk-api", Api);
                }

                page.OpenResultsBlock();
                openBlock = page;
            }
        }
        catch (Exception exception) when (!_diagnostics.IsDevelopment)
        {
            _diagnostics.Failed(TagName, exception);
        }

        // The shop's own markup inside: rendered while the block is open, and never hidden by a Clerk problem.
        try
        {
            output.Content.SetHtmlContent(await output.GetChildContentAsync());
        }
        finally
        {
            openBlock?.CloseResultsBlock();
        }
    }

    private void WriteLabels(PageBlocks page, TagHelperOutput output)
    {
        var where = $"<{TagName} labels=\"{Labels}\">";
        if (ClerkLabels.Problem(Labels, $"<{TagName}>") is { } problem)
        {
            _diagnostics.LabelsMissing(problem);
            return;
        }

        if (page.Claim(Labels!, where) is { } earlier)
        {
            _diagnostics.LabelsReused(
                $"{where} uses the label of {earlier} on the same page. Clerk attributes sales by label, so give each element its own label, for example \"Home - Trending\" and \"Home - Popular\".");
        }

        MarkupAttributes.SetJson(output, "data-clerk-labels", MarkupJson.Serialize(new[] { Labels! }, MarkupJson.Labels));
    }

    // The element the shop asked for, if it is one; mistakes are reported only while Clerk is on.
    private string ElementName(bool report)
    {
        if (string.IsNullOrEmpty(As))
        {
            return "div";
        }

        if (char.IsAsciiLetter(As[0]) && As.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return As;
        }

        if (report)
        {
            _diagnostics.MarkupInvalid(
                $"<{TagName} as=\"{As}\"> does not name an element. Use an element name such as \"ul\", \"ol\" or \"section\", or leave \"as\" out for a div.");
        }

        return "div";
    }
}
