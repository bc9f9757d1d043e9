namespace Clerk.AspNetCore;

/// <summary>
/// Real-time catalog sync: tells Clerk about products that changed (price, stock, name) or went away, without waiting
/// for the next import. Changes are written to the durable outbox (<see cref="IClerkOutbox"/>; in the caller's database
/// transaction with the Entity Framework Core stores), debounced and batched; when they are sent, the product source
/// (<see cref="IClerkProductSource.FindAsync(IReadOnlyCollection{ClerkProductId}, CancellationToken)"/>) gives each product's state at that moment, which goes to Clerk's
/// <c>product/add</c>, and products it no longer returns go to <c>product/remove</c>. A change is never lost: a call
/// that fails is retried like a sale.
/// </summary>
/// <remarks>
/// <para>
/// A change waits <see cref="ClerkFeedOptions.SyncDelay"/> before it is sent, and changes that come within that delay
/// of each other are sent together (up to five delays after the first), each product once, in calls of at most
/// <see cref="ClerkFeedOptions.SyncBatchSize"/> products: the latest change of a product wins. The outbox row holds
/// the product IDs (and the shop's base address, for relative URLs), never the products' data or the private key.
/// </para>
/// <para>
/// Like <see cref="IClerkTracker"/>, it does not throw into the caller outside Development when the change cannot be
/// queued (the outbox's database is down, no product source is registered, no private key): that is logged (events
/// 81, 82, 86) and counted, and Clerk gets the change at its next import. In Development those throw. Nothing is
/// queued when Clerk is turned off (<see cref="ClerkOptions.Enabled"/>) or the list is empty.
/// </para>
/// <para>
/// A shop with several Clerk stores (<see cref="ClerkOptions.Stores"/>) has a catalog in each: a change goes to every
/// store that has a private key, one outbox message per store, and each store's <c>product/add</c> holds the products
/// as the product source gives them for that store
/// (<see cref="IClerkProductSource.FindAsync(ClerkFeedRequest, IReadOnlyCollection{ClerkProductId}, CancellationToken)"/>),
/// sent with that store's keys. <see cref="ProductsChangedInStoresAsync"/> and <see cref="ProductsRemovedFromStoresAsync"/> limit a change to some stores.
/// </para>
/// </remarks>
public interface IClerkCatalogSync
{
    /// <summary>Queues products that were added or changed; those the product source no longer returns are removed.</summary>
    /// <param name="products">The parent product IDs.</param>
    /// <param name="cancellationToken">Cancels the write to the outbox.</param>
    /// <returns>A task that completes when the change is in the outbox.</returns>
    /// <exception cref="ArgumentException">An ID is empty, or the IDs mix integers and strings.</exception>
    ValueTask ProductsChangedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default);

    /// <summary>Queues products to remove from Clerk, whatever the product source says.</summary>
    /// <param name="products">The parent product IDs.</param>
    /// <param name="cancellationToken">Cancels the write to the outbox.</param>
    /// <returns>A task that completes when the removal is in the outbox.</returns>
    /// <exception cref="ArgumentException">An ID is empty, or the IDs mix integers and strings.</exception>
    ValueTask ProductsRemovedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues products that were added or changed, for the named stores only (a product sold in one market); those
    /// the product source no longer returns for a store are removed from that store.
    /// </summary>
    /// <param name="stores">The stores' names (<c>Clerk:Stores:{name}</c>, or <c>default</c>); none queues nothing.</param>
    /// <param name="products">The parent product IDs.</param>
    /// <param name="cancellationToken">Cancels the write to the outbox.</param>
    /// <returns>A task that completes when the change is in the outbox.</returns>
    /// <exception cref="ArgumentException">An ID is empty, the IDs mix integers and strings, or a store is not configured.</exception>
    /// <exception cref="NotSupportedException">The implementation does not limit changes to stores.</exception>
    /// <remarks>
    /// Implemented by the package's sync. A test double that implements only the other members throws
    /// <see cref="NotSupportedException"/> here, rather than send the change to stores the caller left out.
    /// </remarks>
    ValueTask ProductsChangedInStoresAsync(IEnumerable<string> stores, IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(
            $"{GetType().Name} does not limit catalog changes to stores: implement IClerkCatalogSync.ProductsChangedInStoresAsync, or use the package's own (services.AddClerkFeeds()).");

    /// <summary>Queues products to remove from the named stores only, whatever the product source says.</summary>
    /// <param name="stores">The stores' names (<c>Clerk:Stores:{name}</c>, or <c>default</c>); none queues nothing.</param>
    /// <param name="products">The parent product IDs.</param>
    /// <param name="cancellationToken">Cancels the write to the outbox.</param>
    /// <returns>A task that completes when the removal is in the outbox.</returns>
    /// <exception cref="ArgumentException">An ID is empty, the IDs mix integers and strings, or a store is not configured.</exception>
    /// <exception cref="NotSupportedException">The implementation does not limit changes to stores.</exception>
    /// <remarks>
    /// Implemented by the package's sync. A test double that implements only the other members throws
    /// <see cref="NotSupportedException"/> here, rather than send the change to stores the caller left out.
    /// </remarks>
    ValueTask ProductsRemovedFromStoresAsync(IEnumerable<string> stores, IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(
            $"{GetType().Name} does not limit catalog changes to stores: implement IClerkCatalogSync.ProductsRemovedFromStoresAsync, or use the package's own (services.AddClerkFeeds()).");
}
