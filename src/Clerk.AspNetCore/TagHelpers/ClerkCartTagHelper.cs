using System.Collections;
using Clerk.AspNetCore.TagHelpers.Markup;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore;

/// <summary>
/// <c>&lt;clerk-cart products="@Model.Cart.ProductIds" /&gt;</c> keeps Clerk's copy of the cart in step with the shop's
/// (<c>Clerk('cart','set',[...])</c>), for abandoned-cart e-mails and cart recommendations. Render it wherever the cart
/// is shown or has just changed; an empty list empties Clerk's cart.
/// </summary>
[HtmlTargetElement(TagName, TagStructure = TagStructure.WithoutEndTag)]
public sealed class ClerkCartTagHelper : TagHelper
{
    private const string TagName = "clerk-cart";
    private const string ProductsAttributeName = "products";
    private const string NonceAttributeName = "nonce";

    private readonly ClerkOptions _options;
    private readonly MarkupDiagnostics _diagnostics;

    /// <summary>Created by Razor.</summary>
    /// <param name="services">The app's services, where <c>AddClerk</c> registered the Clerk services.</param>
    public ClerkCartTagHelper(IServiceProvider services)
    {
        var markup = MarkupServices.From(services);
        _options = markup.Options;
        _diagnostics = markup.Diagnostics;
    }

    /// <summary>The (parent) product IDs in the cart, integers or strings as in the feed; empty or null for an empty cart.</summary>
    [HtmlAttributeName(ProductsAttributeName)]
    public object? Products { get; set; }

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
        // Enumerated once: the products may be a lazy query.
        var products = Products is IEnumerable items and not string ? items.Cast<object?>().ToList() : Products;
        ClerkProductId[] ids = [];
        var empty = products is null || products is List<object?> { Count: 0 };
        if (!empty && MarkupIds.TryReadMany(products, $"<{TagName} {ProductsAttributeName}>", out ids) is { } problem)
        {
            _diagnostics.MarkupInvalid(problem);
            return;
        }

        ScriptNonce.WriteInlineScript(output, Nonce, _options, ViewContext.HttpContext, $"Clerk('cart','set',{MarkupJson.Serialize(ids, MarkupJson.ProductIds)});");
    }
}
