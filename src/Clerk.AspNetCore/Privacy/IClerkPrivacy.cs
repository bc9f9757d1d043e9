namespace Clerk.AspNetCore;

/// <summary>
/// A person's rights over their data (GDPR articles 15 and 17) across every configured Clerk store and the package's own
/// outbox: <see cref="ForgetAsync"/> erases, <see cref="ExportAsync"/> exports. Registered by <c>AddClerk</c>; inject it
/// into the shop's own (authorised) endpoint or back-office job. See docs/privacy.md.
/// </summary>
/// <remarks>
/// Both calls are idempotent: when <see cref="ClerkErasureResult.Succeeded"/> is <see langword="false"/>, call again
/// later. One store failing never stops the others or the local part. The sale ledger (<c>IClerkSaleLedger</c>) keeps
/// only store, order and time, so it holds nothing about the person. Each call logs one audit line (event 100 or 101)
/// with the kind of subject, the stores' outcomes and the local counts, never the e-mail, customer or visitor ID.
/// </remarks>
public interface IClerkPrivacy
{
    /// <summary>
    /// Forgets the person: first in the outbox (<see cref="IClerkOutbox.ForgetAsync"/>: sent messages deleted, messages
    /// not yet delivered redacted so their sales still count, linked to nobody), then at Clerk, through
    /// <c>privacy/forget</c> in every configured store, side by side.
    /// </summary>
    /// <remarks>
    /// Locally first, because the other order can re-create the data: a pending sale of the person sent between
    /// Clerk's forget and the local erasure would give Clerk their e-mail again. Once the outbox is redacted, no sender
    /// can lease the old body; only a message already being sent can still deliver it (counted in
    /// <see cref="ClerkOutboxErasure.InFlight"/>, which makes the result unsuccessful: call again after the outbox lease).
    /// </remarks>
    /// <param name="subject">The person: <see cref="ClerkPrivacySubject.ByEmail"/>, <c>ByCustomer</c> or <c>ByVisitor</c>.</param>
    /// <param name="cancellationToken">Cancels the erasure; what was done stays done, and calling again completes it.</param>
    /// <returns>What each store answered and what was done locally.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is null.</exception>
    Task<ClerkErasureResult> ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports the person's data: Clerk's <c>privacy/info</c> answer from every configured store, and the outbox messages
    /// that mention them (<see cref="IClerkOutbox.FindAsync"/>), without keys. Nothing is changed.
    /// </summary>
    /// <param name="subject">The person.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>Each store's answer and the local messages.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is null.</exception>
    Task<ClerkPrivacyExport> ExportAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default);
}
