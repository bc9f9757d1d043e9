namespace Clerk.AspNetCore;

/// <summary>
/// Tracks what happens in the shop from server code (API setups, server-side sales). Each call captures the visitor
/// (the current request's unless given) and queues the event; it never waits on the network, and no delivery problem
/// reaches the caller: a background worker sends the event with retries, and failures are logged and counted.
/// </summary>
/// <remarks>
/// A mistake in the arguments (no labels, a variant ID, a quantity of 0) throws <see cref="ArgumentException"/> in the
/// Development environment; elsewhere it is logged (event 37) and counted, and nothing is queued.
/// When Clerk is turned off (<see cref="ClerkOptions.Enabled"/>), nothing is tracked.
/// <para>
/// The tracker injected as <c>IClerkTracker</c> tracks for the current request's Clerk store (the default store
/// outside a request). A shop with several stores (<see cref="ClerkOptions.Stores"/>) gets one store's tracker with
/// <c>[FromKeyedServices("en")] IClerkTracker</c> (or <c>GetRequiredKeyedService&lt;IClerkTracker&gt;("en")</c>), for a
/// background job of one market: its calls carry that store's key, its sales claim orders in that store's ledger and
/// wait in the outbox as that store's. A name that is not configured throws <see cref="InvalidOperationException"/>,
/// listing the stores.
/// </para>
/// </remarks>
public interface IClerkTracker
{
    /// <summary>A click on a product Clerk showed. Dropped (and counted) if the queue is full.</summary>
    /// <param name="product">The clicked product's parent ID.</param>
    /// <param name="labels">The labels of the element that showed it.</param>
    /// <param name="api">The endpoint that produced the result, such as <c>recommendations/popular</c>.</param>
    /// <param name="position">The product's 0-based position in the result.</param>
    /// <param name="visitor">The visitor; by default the current request's.</param>
    void TrackClick(ClerkProductId product, IReadOnlyList<string> labels, string? api = null, int? position = null, ClerkVisitor visitor = default);

    /// <summary>
    /// An order, sent from the server once per order: it claims the order in <see cref="IClerkSaleLedger"/>, which
    /// <c>&lt;clerk-sale&gt;</c> shares, then writes the sale to the <see cref="IClerkOutbox"/>, never waiting for room.
    /// If the outbox cannot take it, the order is released, the sale logged with its payload, and the result is
    /// <see cref="ClerkSaleTrackingResult.NotQueued"/>. What it does depends on <see cref="ClerkOptions.SaleTracking"/>.
    /// </summary>
    /// <param name="sale">The order.</param>
    /// <param name="cancellationToken">Cancels the write to the outbox (the order is then released, and the sale logged).</param>
    /// <returns>What became of the sale.</returns>
    ValueTask<ClerkSaleTrackingResult> TrackSaleAsync(ClerkSale sale, CancellationToken cancellationToken = default);

    /// <summary>A product page view (<c>log/product</c>). Dropped (and counted) if the queue is full.</summary>
    /// <param name="product">The product's parent ID.</param>
    /// <param name="visitor">The visitor; by default the current request's.</param>
    void TrackProductView(ClerkProductId product, ClerkVisitor visitor = default);

    /// <summary>A category page view (<c>log/category</c>). Dropped (and counted) if the queue is full.</summary>
    /// <param name="category">The category ID.</param>
    /// <param name="visitor">The visitor; by default the current request's.</param>
    void TrackCategoryView(string category, ClerkVisitor visitor = default);

    /// <summary>
    /// Links the visitor to an e-mail address (<c>log/email</c>), for example at login. Nothing is sent for a visitor
    /// who declined tracking, nor when <see cref="ClerkOptions.CollectEmails"/> is off.
    /// </summary>
    /// <param name="email">The e-mail address.</param>
    /// <param name="visitor">The visitor; by default the current request's.</param>
    void TrackEmail(string email, ClerkVisitor visitor = default);

    /// <summary>
    /// Returned or refunded items (<c>log/returned</c>, needs <see cref="ClerkOptions.PrivateKey"/>). Like a sale,
    /// written to the <see cref="IClerkOutbox"/>, never waiting for room; if the outbox cannot take it, it is logged.
    /// </summary>
    /// <param name="product">The returned product's parent ID.</param>
    /// <param name="orderId">The order it was bought in.</param>
    /// <param name="quantity">How many came back; 1 or more.</param>
    /// <param name="cancellationToken">Cancels the write to the outbox.</param>
    /// <returns>A task that completes when the return is in the outbox.</returns>
    ValueTask TrackReturnAsync(ClerkProductId product, string orderId, int quantity, CancellationToken cancellationToken = default);
}
