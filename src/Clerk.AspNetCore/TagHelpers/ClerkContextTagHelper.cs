using Clerk.AspNetCore.TagHelpers.Markup;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore;

/// <summary>
/// <c>&lt;clerk-context product="@Model.Id" /&gt;</c> tells Clerk.js what the page shows (a product, a category, or a
/// named page such as <c>homepage</c>) with <c>Clerk('context', {...})</c>: Clerk logs the view and uses it for
/// context-aware blocks.
/// </summary>
[HtmlTargetElement(TagName, TagStructure = TagStructure.WithoutEndTag)]
public sealed class ClerkContextTagHelper : TagHelper
{
    private const string TagName = "clerk-context";
    private const string ProductAttributeName = "product";
    private const string CategoryAttributeName = "category";
    private const string PageAttributeName = "page";
    private const string NonceAttributeName = "nonce";

    private readonly ClerkOptions _options;
    private readonly MarkupDiagnostics _diagnostics;

    /// <summary>Created by Razor.</summary>
    /// <param name="services">The app's services, where <c>AddClerk</c> registered the Clerk services.</param>
    public ClerkContextTagHelper(IServiceProvider services)
    {
        var markup = MarkupServices.From(services);
        _options = markup.Options;
        _diagnostics = markup.Diagnostics;
    }

    /// <summary>The (parent) product the page shows: its catalog ID, an integer or a string as in the feed.</summary>
    [HtmlAttributeName(ProductAttributeName)]
    public object? Product { get; set; }

    /// <summary>The category the page shows: its catalog ID.</summary>
    [HtmlAttributeName(CategoryAttributeName)]
    public object? Category { get; set; }

    /// <summary>A page ID or name, such as <c>homepage</c> or <c>cart</c>.</summary>
    [HtmlAttributeName(PageAttributeName)]
    public string? Page { get; set; }

    /// <summary>The CSP nonce for the inline script; defaults to <see cref="ClerkOptions.CspNonce"/>.</summary>
    [HtmlAttributeName(NonceAttributeName)]
    public string? Nonce { get; set; }

    /// <summary>The view being rendered; set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.SuppressOutput();
        if (!_options.Enabled || _options.Mode == ClerkIntegrationMode.Api)
        {
            return;
        }

        _diagnostics.Contain(TagName, (Helper: this, Output: output), static s => s.Helper.Render(s.Output), static s => s.Output.SuppressOutput());
    }

    private void Render(TagHelperOutput output)
    {
        ClerkProductId? product = null;
        ClerkProductId? category = null;
        if (Product is not null)
        {
            if (!ClerkProductId.TryFrom(Product, out var id))
            {
                _diagnostics.MarkupInvalid($"<{TagName} {ProductAttributeName}> must be the product's catalog ID (an integer or a non-empty string).");
                return;
            }

            product = id;
        }

        if (Category is not null)
        {
            if (!ClerkProductId.TryFrom(Category, out var id))
            {
                _diagnostics.MarkupInvalid($"<{TagName} {CategoryAttributeName}> must be the category's catalog ID (an integer or a non-empty string).");
                return;
            }

            category = id;
        }

        var page = string.IsNullOrWhiteSpace(Page) ? null : Page;
        if (product is null && category is null && page is null)
        {
            _diagnostics.MarkupInvalid(
                $"<{TagName}> has no product, category or page, so it tells Clerk nothing. Add product=\"@Model.Product.Id\", category=\"@Model.Category.Id\" or page=\"homepage\".");
            return;
        }

        var values = new ClerkContextValues { Product = product, Category = category, Page = page };
        ScriptNonce.WriteInlineScript(output, Nonce, _options, ViewContext.HttpContext, $"Clerk('context',{MarkupJson.Serialize(values, MarkupJson.ContextValues)});");
    }
}
