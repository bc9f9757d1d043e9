using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// The log events of real-time catalog sync (ids 80–87 and 96, listed in docs/events.md; never renumbered or reused). Product
/// IDs are logged; keys never are. The outbox worker's own events (31–35, 42) tell the rest of a change's delivery,
/// with the event <c>product</c>.
/// </summary>
internal static partial class CatalogSyncLog
{
    [LoggerMessage(EventId = 80, EventName = "CatalogSyncQueued", Level = LogLevel.Debug,
        Message = "Queued {Count} {Change} products for the catalog of the Clerk store {Store} ({Endpoint}), due in {DelayMs} ms.")]
    public static partial void CatalogSyncQueued(this ILogger logger, int count, string change, string store, string endpoint, long delayMs);

    [LoggerMessage(EventId = 81, EventName = "CatalogSyncNotQueued", Level = LogLevel.Error,
        Message = "Clerk's catalog sync could not queue {Count} {Change} products ({Outbox}): {Reason} Clerk gets them at its next import of the product feed.")]
    public static partial void CatalogSyncNotQueued(this ILogger logger, int count, string change, string outbox, string reason, Exception? exception);

    [LoggerMessage(EventId = 82, EventName = "CatalogSyncNoSource", Level = LogLevel.Error,
        Message = "IClerkCatalogSync.ProductsChangedAsync was called, but no product source is registered, so the products' current state cannot be sent to Clerk; nothing was queued. Register one with services.AddClerkFeeds().AddProducts<TSource>() (or the EF Core adapter's AddProducts(query, key, map)). ProductsRemovedAsync needs no source.")]
    public static partial void CatalogSyncNoSource(this ILogger logger);

    [LoggerMessage(EventId = 83, EventName = "CatalogSyncSent", Level = LogLevel.Debug,
        Message = "Clerk's catalog sync sent {Added} products to product/add and {Removed} to product/remove of the store {Store} in {Calls} calls, for {Messages} queued changes.")]
    public static partial void CatalogSyncSent(this ILogger logger, string store, int added, int removed, int calls, int messages);

    [LoggerMessage(EventId = 84, EventName = "CatalogProductInvalid", Level = LogLevel.Error,
        Message = "The product {ProductId} from the product source cannot be written for Clerk: {Problem} It is left out of product/add (and not removed); fix the product or its mapping.")]
    public static partial void CatalogProductInvalid(this ILogger logger, string productId, string problem);

    [LoggerMessage(EventId = 85, EventName = "CatalogProductUnexpected", Level = LogLevel.Warning,
        Message = "The product source's FindAsync returned the product {ProductId}, which real-time sync did not ask for, so it is not sent (a product asked for and not returned is removed, unless it came back under the other ID type, as here perhaps: then it is kept). Give each product the ID, and the ID type, the sync is told about: Clerk tells 5 and \"5\" apart.")]
    public static partial void CatalogProductUnexpected(this ILogger logger, string productId);

    [LoggerMessage(EventId = 86, EventName = "CatalogSyncNoPrivateKey", Level = LogLevel.Error,
        Message = "Clerk's catalog sync needs the store's private API key for product/add and product/remove; nothing was queued. {Fix}")]
    public static partial void CatalogSyncNoPrivateKey(this ILogger logger, string fix);

    [LoggerMessage(EventId = 87, EventName = "CatalogSyncNoBaseUrl", Level = LogLevel.Warning,
        Message = "Clerk's catalog sync sends products changed outside any request, and no feed request has been served yet: product and image URLs relative to the shop are left out of product/add. Set Clerk:Feeds:BaseUrl to the shop's public address (https://shop.example.com/).")]
    public static partial void CatalogSyncNoBaseUrl(this ILogger logger);

    [LoggerMessage(EventId = 96, EventName = "CatalogSyncStoreSkipped", Level = LogLevel.Warning,
        Message = "Clerk's catalog sync sends product changes to every Clerk store with a private key, and the store {Store} has none, so its catalog in Clerk is updated only by its imports. Set Clerk:Stores:{Store}:PrivateKey (my.clerk.io › Developers › API Keys) to sync it too. Logged once per store.")]
    public static partial void CatalogSyncStoreSkipped(this ILogger logger, string store);
}
