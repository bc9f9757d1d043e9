using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>
/// The log events of the data feeds (ids 70-79 and 95, listed in docs/events.md). No event carries a key, a token, a
/// customer's e-mail address or an item of the feed: what was asked, by which client address, and what went wrong.
/// </summary>
internal static partial class FeedLog
{
    [LoggerMessage(EventId = 70, EventName = "FeedAuthenticationFailed", Level = LogLevel.Warning,
        Message = "A request for the Clerk {Feed} feed from {Client} was refused (403): {Reason}")]
    public static partial void FeedAuthenticationFailed(this ILogger logger, string feed, string client, string reason, Exception? exception = null);

    [LoggerMessage(EventId = 71, EventName = "FeedPrivateKeyMissing", Level = LogLevel.Warning,
        Message = "The Clerk data feeds are mapped at {PathPrefix}, but Clerk:PrivateKey is not set, so they refuse every request (403): Clerk's importer authenticates with the store's public and private key. Set Clerk:PrivateKey (my.clerk.io › Developers › API Keys; keep it in user secrets or the environment).")]
    public static partial void FeedPrivateKeyMissing(this ILogger logger, string pathPrefix);

    [LoggerMessage(EventId = 72, EventName = "FeedRateLimited", Level = LogLevel.Warning,
        Message = "The Clerk data feeds refused {Count} requests (429) since their last report: {Reason} They report at most once every {Interval}.")]
    public static partial void FeedRateLimited(this ILogger logger, long count, string reason, TimeSpan interval);

    [LoggerMessage(EventId = 73, EventName = "FeedSourceFailed", Level = LogLevel.Error,
        Message = "Page {Page} of the Clerk {Feed} feed of the store {Store} failed before any item was written ({Source}); the importer got 500.")]
    public static partial void FeedSourceFailed(this ILogger logger, string feed, int page, string store, string source, Exception exception);

    [LoggerMessage(EventId = 74, EventName = "FeedAborted", Level = LogLevel.Error,
        Message = "Page {Page} of the Clerk {Feed} feed of the store {Store} failed after {Written} items were written ({Source}): {Consequence}")]
    public static partial void FeedAborted(this ILogger logger, string feed, int page, string store, int written, string source, string consequence, Exception? exception);

    [LoggerMessage(EventId = 75, EventName = "FeedItemsBeyondLimit", Level = LogLevel.Warning,
        Message = "The Clerk {Feed} feed's source ({Source}) returned more than limit={Limit} items for page {Page}; the extra items were not written. A source returns at most ClerkFeedRequest.Limit items: the next page starts after them, so they would be served twice.")]
    public static partial void FeedItemsBeyondLimit(this ILogger logger, string feed, string source, int limit, int page);

    [LoggerMessage(EventId = 76, EventName = "FeedMixedIdTypes", Level = LogLevel.Error,
        Message = "Page {Page} of the Clerk {Feed} feed mixes ID types: {Problem}")]
    public static partial void FeedMixedIdTypes(this ILogger logger, string feed, int page, string problem);

    [LoggerMessage(EventId = 77, EventName = "ProductIdTypeMismatch", Level = LogLevel.Warning,
        Message = "{Problem}")]
    public static partial void ProductIdTypeMismatch(this ILogger logger, string problem);

    [LoggerMessage(EventId = 78, EventName = "FeedPageServed", Level = LogLevel.Debug,
        Message = "Served page {Page} of the Clerk {Feed} feed of the store {Store}: {Items} items (limit {Limit}) in {ElapsedMs} ms.")]
    public static partial void FeedPageServed(this ILogger logger, string feed, int page, string store, int items, int limit, long elapsedMs);

    [LoggerMessage(EventId = 79, EventName = "FeedRequestRejected", Level = LogLevel.Debug,
        Message = "A request for the Clerk {Feed} feed was answered {StatusCode}: {Reason}")]
    public static partial void FeedRequestRejected(this ILogger logger, string feed, int statusCode, string reason);

    [LoggerMessage(EventId = 95, EventName = "FeedStorePrivateKeyMissing", Level = LogLevel.Warning,
        Message = "The Clerk data feeds are mapped at {PathPrefix}, but the Clerk stores {Stores} have no private key, so their feeds refuse every request (403): Clerk's importer authenticates with each store's own public and private key. Set Clerk:Stores:<store>:PrivateKey for each of them (my.clerk.io › Developers › API Keys; keep them in user secrets or the environment).")]
    public static partial void FeedStorePrivateKeyMissing(this ILogger logger, string pathPrefix, string stores);
}
