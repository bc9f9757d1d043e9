using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore.TagHelpers.Markup;

/// <summary>The CSP nonce for an inline script: the tag helper's <c>nonce</c> attribute, else the configured source.</summary>
internal static class ScriptNonce
{
    public static string? For(string? attribute, ClerkOptions options, HttpContext httpContext)
    {
        var nonce = string.IsNullOrEmpty(attribute) ? options.CspNonce?.Invoke(httpContext) : attribute;
        return string.IsNullOrEmpty(nonce) ? null : nonce;
    }

    /// <summary>
    /// Turns the tag helper's element into an inline <c>&lt;script&gt;</c> with the CSP nonce, if any. The script must
    /// already be safe to place raw: fixed text plus <see cref="MarkupJson"/> values.
    /// </summary>
    public static void WriteInlineScript(TagHelperOutput output, string? nonceAttribute, ClerkOptions options, HttpContext httpContext, string script)
    {
        output.TagName = "script";
        output.TagMode = TagMode.StartTagAndEndTag;
        if (For(nonceAttribute, options, httpContext) is { } nonce)
        {
            output.Attributes.SetAttribute("nonce", nonce);
        }

        output.Content.SetHtmlContent(new HtmlString(script));
    }

    /// <summary>
    /// As <see cref="WriteInlineScript(TagHelperOutput, string?, ClerkOptions, HttpContext, string)"/>, with the script
    /// in parts written one after the other (null parts left out), so that a long fixed part made once is not copied
    /// into a new string on every page.
    /// </summary>
    public static void WriteInlineScript(
        TagHelperOutput output, string? nonceAttribute, ClerkOptions options, HttpContext httpContext, string first, string? second, string? third, string? fourth)
    {
        WriteInlineScript(output, nonceAttribute, options, httpContext, first);
        foreach (var part in (ReadOnlySpan<string?>)[second, third, fourth])
        {
            if (part is not null)
            {
                output.Content.AppendHtml(part);
            }
        }
    }
}
