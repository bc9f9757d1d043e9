using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The names a JSONP <c>callback</c> may have. The name is written into a script unescaped, so only plain dotted
/// JavaScript identifiers such as Clerk.js's <c>Clerk._jsonp_123</c> pass; anything else could inject script.
/// </summary>
internal static partial class JsonpCallback
{
    /// <summary>The callback of a GET call; other methods answer plain JSON, as Clerk.js only uses JSONP with GET.</summary>
    public static string Of(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) ? request.Query["callback"].ToString() : string.Empty;

    public static bool IsValid(string callback) => Pattern().IsMatch(callback);

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$]{0,63}(\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,3}$")]
    private static partial Regex Pattern();
}
