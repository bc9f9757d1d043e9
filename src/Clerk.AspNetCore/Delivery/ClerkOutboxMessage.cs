namespace Clerk.AspNetCore;

/// <summary>A call to Clerk that must not be lost (a sale, a return, a catalog change), as an <see cref="IClerkOutbox"/> keeps it.</summary>
public sealed class ClerkOutboxMessage
{
    /// <summary>Gets the message's ID, made when it is tracked.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the Clerk store (public key) the message belongs to.</summary>
    public required string Store { get; init; }

    /// <summary>Gets what the message is: <c>sale</c>, <c>return</c> or <c>product</c> (catalog sync); the names used in logs and metrics.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets Clerk's endpoint, such as <c>log/sale</c>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>
    /// Gets the call's JSON body, checked when it was tracked; it may hold the public key, never the private one (added
    /// when it is sent). A catalog change holds the product IDs, which are looked up when it is sent.
    /// </summary>
    public required string Body { get; init; }

    /// <summary>Gets the order of a sale or a return.</summary>
    public string? OrderId { get; init; }

    /// <summary>Gets when the message was tracked.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the message is next due to be sent.</summary>
    public DateTimeOffset DueAt { get; init; }

    /// <summary>Gets how many attempts to send it have failed so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets why the last attempt failed, if one did.</summary>
    public string? LastError { get; init; }

    /// <summary>
    /// Gets where the message is: <see cref="ClerkOutboxMessageState.Pending"/> for what <see cref="IClerkOutbox.LeaseAsync"/>
    /// returns; a message found by <see cref="IClerkOutbox.FindAsync"/> may also be sent (kept for an audit period) or failed.
    /// </summary>
    public ClerkOutboxMessageState State { get; init; }

    /// <summary>Gets the lease under which <see cref="IClerkOutbox.LeaseAsync"/> handed the message out; empty otherwise.</summary>
    public Guid LeaseId { get; init; }
}

/// <summary>Where an <see cref="IClerkOutbox"/>'s message is.</summary>
public enum ClerkOutboxMessageState
{
    /// <summary>Waiting to be sent (also while it is leased, or rescheduled after a failed attempt).</summary>
    Pending,

    /// <summary>Clerk accepted it; an outbox may keep it for an audit period.</summary>
    Sent,

    /// <summary>It ran out of retries or Clerk refused it; it waits to be re-driven.</summary>
    Failed,
}
