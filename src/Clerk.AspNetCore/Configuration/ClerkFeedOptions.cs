namespace Clerk.AspNetCore;

/// <summary>
/// The data feeds Clerk's importer pulls (<c>app.MapClerkFeeds()</c>) and real-time catalog sync
/// (<see cref="IClerkCatalogSync"/>); bound from <c>Clerk:Feeds</c>.
/// </summary>
public sealed class ClerkFeedOptions
{
    /// <summary>The name of the rate limiter policy the feeds use (per client IP address).</summary>
    public const string RateLimiterPolicyName = "Clerk.Feeds";

    /// <summary>The path the feeds are mapped under: <c>{PathPrefix}/product</c>, <c>/category</c>, <c>/order</c>, <c>/customer</c>.</summary>
    /// <value>Defaults to <c>/clerk</c>, the path Clerk's extensions use.</value>
    public string PathPrefix { get; set; } = "/clerk";

    /// <summary>The page size when the importer sends no <c>limit</c>.</summary>
    /// <value>Defaults to 100.</value>
    public int DefaultLimit { get; set; } = 100;

    /// <summary>The largest <c>limit</c> the feeds accept; a larger one is answered 400.</summary>
    /// <value>Defaults to 1,000.</value>
    public int MaxLimit { get; set; } = 1000;

    /// <summary>
    /// The shop's public base address, which relative product, image and category URLs are resolved against; by
    /// default the feed request's own scheme and host (behind a proxy, use the forwarded headers middleware or set this).
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>How many feed requests one client IP address may make per <see cref="Window"/>; more are answered 429.</summary>
    /// <value>Defaults to 600 (Clerk's importer pulls a large catalog page by page).</value>
    public int PermitLimit { get; set; } = 600;

    /// <summary>The window <see cref="PermitLimit"/> counts in.</summary>
    /// <value>Defaults to 1 minute.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long real-time sync waits after a product changes before sending it, so that several quick saves reach
    /// Clerk as one call.
    /// </summary>
    /// <value>Defaults to 500 milliseconds.</value>
    public TimeSpan SyncDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>At most this many products go to Clerk in one <c>product/add</c> or <c>product/remove</c> call.</summary>
    /// <value>Defaults to 100.</value>
    public int SyncBatchSize { get; set; } = 100;
}
