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

    /// <summary>
    /// Deletes or redacts, in every store, the messages that mention <paramref name="subject"/> (the right to erasure;
    /// <see cref="IClerkPrivacy.ForgetAsync"/> calls this before Clerk's <c>privacy/forget</c>). A message mentions the
    /// subject when its JSON body's <c>email</c> equals the e-mail address (trimmed, without case), its <c>customer</c>
    /// the customer ID (exactly) or its <c>visitor</c> the visitor ID (exactly); a mere substring never counts
    /// (<see cref="ClerkOutboxRedaction.Mentions"/>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// A sent message (kept for an audit period) is deleted. A message not yet delivered (pending, leased or failed) is
    /// redacted instead (<see cref="ClerkOutboxRedaction.Redact"/>: <c>email</c> and <c>customer</c> removed,
    /// <c>visitor</c> emptied), so the sale still counts in the shop's revenue at Clerk but is linked to nobody:
    /// deleting it would lose the order, and sending it as it was would give Clerk the person's data again right after
    /// the forget.
    /// </para>
    /// <para>
    /// A leased message is redacted in place and its lease kept: if its sender's attempt fails, the retry sends the
    /// redacted body. Its sender may however be sending the old body right now; such messages are counted in
    /// <see cref="ClerkOutboxErasure.InFlight"/>, so the caller can forget at Clerk again once the lease has ended.
    /// Calling this again does nothing more (a redacted message no longer mentions anyone).
    /// </para>
    /// </remarks>
    /// <param name="subject">Whose messages.</param>
    /// <param name="cancellationToken">Cancels the work; messages handled so far stay handled.</param>
    /// <returns>How many messages were deleted, redacted, and redacted while being sent.</returns>
    ValueTask<ClerkOutboxErasure> ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default);

    /// <summary>
    /// The messages of every store that mention <paramref name="subject"/> (as <see cref="ForgetAsync"/> matches them),
    /// pending, failed or sent (as far as the outbox keeps sent ones), the oldest first: the package's own data about
    /// the person, for an export (<see cref="IClerkPrivacy.ExportAsync"/>). Nothing is changed.
    /// </summary>
    /// <param name="subject">Whose messages.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The messages, with their <see cref="ClerkOutboxMessage.State"/>; possibly none.</returns>
    ValueTask<IReadOnlyList<ClerkOutboxMessage>> FindAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default);
}
