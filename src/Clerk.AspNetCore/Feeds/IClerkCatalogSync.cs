namespace Clerk.AspNetCore;

/// <summary>
/// Real-time catalog sync: tells Clerk about products that changed (price, stock, name) or went away, without waiting
/// for the next import. Changes are written to the durable outbox (<see cref="IClerkOutbox"/>; in the caller's database
/// transaction with the Entity Framework Core stores), debounced and batched; when they are sent, the product source
/// (<see cref="IClerkProductSource.FindAsync"/>) gives each product's state at that moment, which goes to Clerk's
/// <c>product/add</c>, and products it no longer returns go to <c>product/remove</c>. A change is never lost: a call
/// that fails is retried like a sale.
/// </summary>
public interface IClerkCatalogSync
{
    /// <summary>Queues products that were added or changed; those the product source no longer returns are removed.</summary>
    /// <param name="products">The parent product IDs.</param>
    /// <param name="cancellationToken">Cancels the write to the outbox.</param>
    /// <returns>A task that completes when the change is in the outbox.</returns>
    ValueTask ProductsChangedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default);

    /// <summary>Queues products to remove from Clerk, whatever the product source says.</summary>
    /// <param name="products">The parent product IDs.</param>
    /// <param name="cancellationToken">Cancels the write to the outbox.</param>
    /// <returns>A task that completes when the removal is in the outbox.</returns>
    ValueTask ProductsRemovedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default);
}
