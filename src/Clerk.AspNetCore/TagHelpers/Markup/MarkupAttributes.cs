using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore.TagHelpers.Markup;

/// <summary>Attribute writing shared by the tag helpers.</summary>
internal static class MarkupAttributes
{
    /// <summary>
    /// Writes JSON raw into a single-quoted attribute, as Clerk.js expects (<c>data-products='[...]'</c>): HTML-encoding
    /// it would make Clerk reject the argument. Safe because <see cref="MarkupJson"/> escapes <c>'</c>, <c>&amp;</c>
    /// and <c>&lt;</c>, so no value can end the attribute or form a character reference.
    /// </summary>
    public static void SetJson(TagHelperOutput output, string name, string json) =>
        output.Attributes.SetAttribute(new TagHelperAttribute(name, new HtmlString(json), HtmlAttributeValueStyle.SingleQuotes));
}
