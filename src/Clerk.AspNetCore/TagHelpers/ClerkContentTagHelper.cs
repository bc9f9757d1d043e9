using System.Globalization;
using System.Text.Encodings.Web;
using Clerk.AspNetCore.TagHelpers.Markup;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.TagHelpers;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore;

/// <summary>
/// <c>&lt;clerk-content api="recommendations/popular" template="@home-popular" labels="Home - Popular" /&gt;</c>: a
/// block that Clerk.js fills with results in a design made in my.clerk.io. Renders Clerk's
/// <c>&lt;span class="clerk" data-api data-template data-labels ...&gt;</c>; other <c>data-*</c> attributes pass
/// through as further arguments of the call.
/// </summary>
[HtmlTargetElement(TagName)]
public sealed class ClerkContentTagHelper : TagHelper
{
    private const string TagName = "clerk-content";
    private const string ApiAttributeName = "api";
    private const string TemplateAttributeName = "template";
    private const string LabelsAttributeName = "labels";
    private const string LimitAttributeName = "limit";
    private const string ProductsAttributeName = "products";
    private const string CategoryAttributeName = "category";

    private readonly ClerkOptions _options;
    private readonly MarkupDiagnostics _diagnostics;

    /// <summary>Created by Razor.</summary>
    /// <param name="services">The app's services, where <c>AddClerk</c> registered the Clerk services.</param>
    public ClerkContentTagHelper(IServiceProvider services)
    {
        var markup = MarkupServices.From(services);
        _options = markup.Options;
        _diagnostics = markup.Diagnostics;
    }

    /// <summary>The Clerk endpoint, such as <c>recommendations/popular</c> or <c>search/predictive</c>. Required.</summary>
    [HtmlAttributeName(ApiAttributeName)]
    public string? Api { get; set; }

    /// <summary>The design that renders the results: <c>@</c> and the design's ID in my.clerk.io. Required.</summary>
    [HtmlAttributeName(TemplateAttributeName)]
    public string? Template { get; set; }

    /// <summary>The label that names this block in Clerk's analytics; unique on the page. Required.</summary>
    [HtmlAttributeName(LabelsAttributeName)]
    public string? Labels { get; set; }

    /// <summary>How many products to show.</summary>
    [HtmlAttributeName(LimitAttributeName)]
    public int? Limit { get; set; }

    /// <summary>The product ID, or list of IDs, the recommendations are for (integers or strings, as in the feed).</summary>
    [HtmlAttributeName(ProductsAttributeName)]
    public object? Products { get; set; }

    /// <summary>The category ID the recommendations are for.</summary>
    [HtmlAttributeName(CategoryAttributeName)]
    public object? Category { get; set; }

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
            output.SuppressOutput();
            return;
        }

        _diagnostics.Contain(
            TagName,
            (Helper: this, Output: output),
            static s =>
            {
                if (!s.Helper.Render(s.Output))
                {
                    s.Output.SuppressOutput();
                }
            },
            static s => s.Output.SuppressOutput());
    }

    private bool Render(TagHelperOutput output)
    {
        if (_options.Mode == ClerkIntegrationMode.Api)
        {
            _diagnostics.MarkupInvalid(
                $"<{TagName}> is rendered by Clerk.js, which does not run in Api mode (Clerk:Mode). Ask Clerk on the server with IClerkClient and render the products inside <clerk-results>, or set Clerk:Mode to ClerkJs.");
            return false;
        }

        if (ApiProblem() is { } apiProblem)
        {
            _diagnostics.MarkupInvalid(apiProblem);
            return false;
        }

        if (string.IsNullOrWhiteSpace(Template))
        {
            _diagnostics.MarkupInvalid(
                $"<{TagName} api=\"{Api}\"> has no template, so Clerk.js cannot render it. Name the design from my.clerk.io › Recommendations › Designs: template=\"@your-design-id\".");
            return false;
        }

        output.TagName = "span";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.AddClass("clerk", HtmlEncoder.Default);
        output.Attributes.SetAttribute("data-api", Api);
        output.Attributes.SetAttribute("data-template", Template);

        if (ClerkLabels.Problem(Labels, $"<{TagName} api=\"{Api}\">") is { } labelsProblem)
        {
            // Clerk still renders the block; it just cannot attribute it.
            _diagnostics.LabelsMissing(labelsProblem);
        }
        else
        {
            var where = $"<{TagName} labels=\"{Labels}\">";
            if (PageBlocks.For(ViewContext.HttpContext).Claim(Labels!, where) is { } earlier)
            {
                _diagnostics.LabelsReused(
                    $"{where} uses the label of {earlier} on the same page. Clerk attributes sales by label, so give each element its own label, for example \"Home - Trending\" and \"Home - Popular\".");
            }

            MarkupAttributes.SetJson(output, "data-labels", MarkupJson.Serialize(new[] { Labels! }, MarkupJson.Labels));
        }

        if (Limit is { } limit)
        {
            if (limit < 1)
            {
                _diagnostics.MarkupInvalid($"<{TagName} labels=\"{Labels}\" limit=\"{limit}\">: the limit must be 1 or more; it is left out.");
            }
            else
            {
                output.Attributes.SetAttribute("data-limit", limit.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (Products is not null)
        {
            if (MarkupIds.TryReadMany(Products, $"<{TagName} labels=\"{Labels}\" {ProductsAttributeName}>", out var ids) is { } problem)
            {
                _diagnostics.MarkupInvalid(problem);
            }
            else
            {
                MarkupAttributes.SetJson(output, "data-products", MarkupJson.Serialize(ids, MarkupJson.ProductIds));
            }
        }

        if (Category is not null)
        {
            if (ClerkProductId.TryFrom(Category, out var category))
            {
                output.Attributes.SetAttribute("data-category", category.ToString());
            }
            else
            {
                _diagnostics.MarkupInvalid($"<{TagName} labels=\"{Labels}\" {CategoryAttributeName}> must be a category ID (an integer or a non-empty string).");
            }
        }

        return true;
    }

    private string? ApiProblem()
    {
        if (string.IsNullOrWhiteSpace(Api))
        {
            return $"<{TagName}> has no api. Name the Clerk endpoint that fills it, for example api=\"recommendations/popular\".";
        }

        if (Api.StartsWith("log/", StringComparison.Ordinal))
        {
            return $"<{TagName} api=\"{Api}\"> logs instead of showing results. Use <clerk-sale> for sales and <clerk-context> for product and category views.";
        }

        foreach (var c in Api)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('/' or '_' or '-'))
            {
                return $"<{TagName} api=\"{Api}\"> is not a Clerk endpoint. Endpoints look like \"recommendations/popular\" or \"search/predictive\".";
            }
        }

        return null;
    }
}
