using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.TagHelpers.Markup;

/// <summary>The CSP nonce for an inline script: the tag helper's <c>nonce</c> attribute, else the configured source.</summary>
internal static class ScriptNonce
{
    public static string? For(string? attribute, ClerkOptions options, HttpContext httpContext)
    {
        var nonce = string.IsNullOrEmpty(attribute) ? options.CspNonce?.Invoke(httpContext) : attribute;
        return string.IsNullOrEmpty(nonce) ? null : nonce;
    }
}
