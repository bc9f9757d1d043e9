namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// Sends the outbox messages of one <see cref="Kind"/> together instead of one call each: catalog sync coalesces the
/// changes of many products into a few <c>product/add</c> and <c>product/remove</c> calls. Implemented in a room after
/// Delivery (Feeds: Delivery may not know it) and registered in DI; <see cref="OutboxWorker"/> hands it every message
/// of its kind in a lease, and marks them through the paths sales use: sent, retried with back-off, or failed.
/// </summary>
internal interface IOutboxBatchSender
{
    /// <summary>Gets the <see cref="ClerkOutboxMessage.Kind"/> it sends.</summary>
    string Kind { get; }

    /// <summary>
    /// Sends <paramref name="messages"/> (all of <see cref="Kind"/>, of one store). When it returns, every message is
    /// sent except those it returns, which it could not read and which are marked failed. When it throws, every
    /// message shares the outcome: a <see cref="ClerkApiException"/> that is not transient, or an
    /// <see cref="OutboxBatchRejectedException"/>, fails them all; anything else retries them all, together.
    /// </summary>
    /// <param name="messages">The leased messages, in lease order.</param>
    /// <param name="cancellationToken">Cancelled when the app's shutdown timeout runs out.</param>
    /// <returns>The messages it could not read, and why; usually none.</returns>
    Task<IReadOnlyList<OutboxBatchProblem>> SendAsync(IReadOnlyList<ClerkOutboxMessage> messages, CancellationToken cancellationToken);
}

/// <summary>A message of a batch that cannot be sent as it is (its body cannot be read), and why.</summary>
/// <param name="Message">The message.</param>
/// <param name="Reason">Why, for the log and the outbox's last error; no keys.</param>
internal readonly record struct OutboxBatchProblem(ClerkOutboxMessage Message, string Reason);

/// <summary>A batch that can never be sent as it is (no product source is registered): its messages are marked failed, to re-drive once fixed.</summary>
internal sealed class OutboxBatchRejectedException(string message) : Exception(message);
