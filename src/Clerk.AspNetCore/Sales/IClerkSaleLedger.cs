namespace Clerk.AspNetCore;

/// <summary>
/// Remembers which orders have been sent to Clerk, so that each order produces exactly one sale however often its
/// confirmation page is shown (refresh, back button, a second tab) and whether it is sent from the page or the
/// server. The default keeps claims in memory, which is right for one web server; a web farm registers an
/// implementation over a shared store before calling <c>AddClerk</c>.
/// </summary>
public interface IClerkSaleLedger
{
    /// <summary>
    /// Claims the right to send the sale for <paramref name="orderId"/> to <paramref name="store"/>. Atomic: of any
    /// number of concurrent calls for one order of one store, exactly one returns <see langword="true"/>. Stores are
    /// kept apart: two markets may number their orders alike.
    /// </summary>
    /// <param name="store">The Clerk store's public key (<see cref="ClerkStore.PublicKey"/>).</param>
    /// <param name="orderId">The order number.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns><see langword="true"/> for the first claim of the order; <see langword="false"/> after that.</returns>
    ValueTask<bool> TryClaimAsync(string store, string orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a claim back because the sale could not be sent (for example the page failed), so that a later
    /// attempt can send it.
    /// </summary>
    /// <param name="store">The Clerk store's public key (<see cref="ClerkStore.PublicKey"/>).</param>
    /// <param name="orderId">The order number.</param>
    /// <param name="cancellationToken">Cancels the release.</param>
    /// <returns>A task that completes when the claim is released.</returns>
    ValueTask ReleaseAsync(string store, string orderId, CancellationToken cancellationToken = default);
}
