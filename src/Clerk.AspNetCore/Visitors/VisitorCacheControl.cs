using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Keeps one visitor's ID out of shared caches (a CDN, a proxy, the response cache): a response that renders a
/// visitor ID is <c>Cache-Control: private</c>, and one that sets or deletes the visitor cookie is also
/// <c>no-store</c>. Only ever makes the app's header stricter: <c>public</c> and <c>s-maxage</c> go, every other
/// directive the app set stays, and a <c>no-store</c> it set is kept. ASP.NET Core's output cache does not read
/// <c>Cache-Control</c>, so it is told directly not to store the response.
/// </summary>
internal static class VisitorCacheControl
{
    private const string Private = "private";
    private const string PrivateNoStore = "private, no-store";

    /// <summary>The response shows a visitor ID: no shared cache may keep it.</summary>
    public static void KeepPrivate(HttpContext context) => Apply(context, noStore: false);

    /// <summary>The response sets or deletes the visitor cookie: no cache may keep it at all.</summary>
    public static void PreventStorage(HttpContext context) => Apply(context, noStore: true);

    private static void Apply(HttpContext context, bool noStore)
    {
        if (context.Features.Get<IOutputCacheFeature>() is { } outputCache)
        {
            outputCache.Context.AllowCacheStorage = false;
        }

        var response = context.Response;
        if (response.HasStarted)
        {
            // Too late for headers (a page that flushed before the tag helper ran); nothing can be done here.
            return;
        }

        var current = response.Headers.CacheControl;
        if (StringValues.IsNullOrEmpty(current))
        {
            response.Headers.CacheControl = noStore ? PrivateNoStore : Private;
            return;
        }

        if (!CacheControlHeaderValue.TryParse(current.ToString(), out var value) || value is null)
        {
            // A header no parser agrees on might say anything: the strictest value never leaks.
            response.Headers.CacheControl = PrivateNoStore;
            return;
        }

        var strictEnough = noStore
            ? value.NoStore && value.Private && value.PrivateHeaders.Count == 0 && !value.Public
            : value.NoStore || (value.Private && value.PrivateHeaders.Count == 0 && !value.Public);
        if (strictEnough)
        {
            return;
        }

        // private="Set-Cookie" keeps only the named headers private; the whole response must be.
        value.Private = true;
        value.PrivateHeaders.Clear();
        value.Public = false;
        value.SharedMaxAge = null;
        value.NoStore |= noStore;
        response.Headers.CacheControl = value.ToString();
    }
}
