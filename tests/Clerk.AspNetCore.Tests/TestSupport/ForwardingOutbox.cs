namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// An <see cref="IClerkOutbox"/> that hands every call to <paramref name="inner"/>: tests derive from it and override
/// the one or two calls they record, break or bend, instead of forwarding the whole contract by hand.
/// </summary>
internal abstract class ForwardingOutbox(IClerkOutbox inner) : IClerkOutbox
{
    protected IClerkOutbox Inner => inner;

    public virtual ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default) =>
        inner.AddAsync(message, cancellationToken);

    public virtual ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(string store, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        inner.LeaseAsync(store, maxCount, leaseDuration, cancellationToken);

    public virtual ValueTask MarkSentAsync(IReadOnlyCollection<ClerkOutboxMessage> messages, CancellationToken cancellationToken = default) =>
        inner.MarkSentAsync(messages, cancellationToken);

    public virtual ValueTask RescheduleAsync(ClerkOutboxMessage message, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) =>
        inner.RescheduleAsync(message, dueAt, error, cancellationToken);

    public virtual ValueTask MarkFailedAsync(ClerkOutboxMessage message, string error, CancellationToken cancellationToken = default) =>
        inner.MarkFailedAsync(message, error, cancellationToken);

    public virtual ValueTask<int> RedriveFailedAsync(string store, CancellationToken cancellationToken = default) =>
        inner.RedriveFailedAsync(store, cancellationToken);

    public virtual ValueTask<ClerkOutboxStatus> GetStatusAsync(string store, CancellationToken cancellationToken = default) =>
        inner.GetStatusAsync(store, cancellationToken);

    public virtual ValueTask<ClerkOutboxErasure> ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) =>
        inner.ForgetAsync(subject, cancellationToken);

    public virtual ValueTask<IReadOnlyList<ClerkOutboxMessage>> FindAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) =>
        inner.FindAsync(subject, cancellationToken);
}
