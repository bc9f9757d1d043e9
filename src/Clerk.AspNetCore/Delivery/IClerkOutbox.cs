namespace Clerk.AspNetCore;

/// <summary>
/// Where sales, returns and catalog changes wait until Clerk has them. <see cref="IClerkTracker.TrackSaleAsync"/> adds a message; the
/// delivery worker of any instance leases the messages that are due, sends them, and marks each one sent, reschedules
/// it (a retry is a later due time, so a failing sale never holds a sender), or marks it failed once it runs out of
/// retries. A failed message stays visible (the health check reports Degraded) until it is re-driven.
/// </summary>
/// <remarks>
/// <para>
/// The default outbox keeps messages in the process's memory: right for one server, and lost with the process. The
/// Clerk.AspNetCore.EntityFrameworkCore package keeps them in the shop's own database, shared by every instance and
/// written in the order's own transaction when the checkout uses the same <c>DbContext</c>.
/// </para>
/// <para>
/// Every message belongs to one Clerk store (its public key), so one database can serve several stores. Messages never
/// hold the private key.
/// </para>
/// </remarks>
public interface IClerkOutbox
{
    /// <summary>
    /// Adds a message, due now, or at <see cref="ClerkOutboxMessage.DueAt"/> when that is later (catalog sync waits a
    /// moment, so that quick changes go together). When the returned task completes the message is stored; an outbox
    /// that joins the caller's database transaction stores it when that transaction commits, and never if it rolls back.
    /// </summary>
    /// <param name="message">The message; <see cref="ClerkOutboxMessage.Attempts"/> is 0.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the message is written.</returns>
    ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> pending messages of <paramref name="store"/> that are due and not leased
    /// (or whose lease has expired), the earliest due first. Each returned message carries a new
    /// <see cref="ClerkOutboxMessage.LeaseId"/>; no other caller gets it until the lease expires or it is marked.
    /// </summary>
    /// <param name="store">The Clerk store's public key.</param>
    /// <param name="maxCount">At most this many messages.</param>
    /// <param name="leaseDuration">How long the messages are the caller's; after that, another instance may take them.</param>
    /// <param name="cancellationToken">Cancels the lease.</param>
    /// <returns>The leased messages, possibly none.</returns>
    ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(string store, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Marks leased messages as delivered. An outbox may keep sent messages for an audit period.</summary>
    /// <param name="messages">Messages returned by <see cref="LeaseAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>A task that completes when the messages are marked.</returns>
    ValueTask MarkSentAsync(IReadOnlyCollection<ClerkOutboxMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a leased message back to be tried again at <paramref name="dueAt"/>: one more attempt is counted and
    /// <paramref name="error"/> kept. Does nothing when the caller's lease is no longer the message's.
    /// </summary>
    /// <param name="message">A message returned by <see cref="LeaseAsync"/>.</param>
    /// <param name="dueAt">When to try again.</param>
    /// <param name="error">Why this attempt failed (no keys, no e-mail addresses).</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>A task that completes when the message is rescheduled.</returns>
    ValueTask RescheduleAsync(ClerkOutboxMessage message, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a leased message as failed for good (retries ran out, or Clerk refused it): it is no longer leased, and
    /// stays visible until <see cref="RedriveFailedAsync"/>. Does nothing when the caller's lease is no longer the
    /// message's.
    /// </summary>
    /// <param name="message">A message returned by <see cref="LeaseAsync"/>.</param>
    /// <param name="error">Why it failed (no keys, no e-mail addresses).</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>A task that completes when the message is marked.</returns>
    ValueTask MarkFailedAsync(ClerkOutboxMessage message, string error, CancellationToken cancellationToken = default);

    /// <summary>Makes every failed message of <paramref name="store"/> pending again, due now, with its attempts reset.</summary>
    /// <param name="store">The Clerk store's public key.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>How many messages were re-driven.</returns>
    ValueTask<int> RedriveFailedAsync(string store, CancellationToken cancellationToken = default);

    /// <summary>Counts the pending and failed messages of <paramref name="store"/>, for the health check.</summary>
    /// <param name="store">The Clerk store's public key.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The counts.</returns>
    ValueTask<ClerkOutboxStatus> GetStatusAsync(string store, CancellationToken cancellationToken = default);
}
