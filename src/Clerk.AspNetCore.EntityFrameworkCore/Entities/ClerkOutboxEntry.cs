namespace Clerk.AspNetCore;

/// <summary>
/// A row of <c>clerk_outbox</c>: a sale or return on its way to Clerk. Written and updated by the Clerk stores; public
/// so that a shop can look at failed rows (<see cref="State"/> <see cref="ClerkOutboxEntryState.Failed"/>) and
/// their <see cref="LastError"/>. Change rows only through <see cref="IClerkOutbox"/> (for example
/// <see cref="IClerkOutbox.RedriveFailedAsync"/>).
/// </summary>
public sealed class ClerkOutboxEntry
{
    /// <summary>Gets or sets the message's ID (column <c>id</c>, the primary key).</summary>
    public Guid Id { get; set; }

    /// <summary>Gets or sets the Clerk store (public key) the message belongs to (column <c>store</c>).</summary>
    public string Store { get; set; } = "";

    /// <summary>Gets or sets what the message is: <c>sale</c> or <c>return</c> (column <c>kind</c>).</summary>
    public string Kind { get; set; } = "";

    /// <summary>Gets or sets Clerk's endpoint, such as <c>log/sale</c> (column <c>endpoint</c>).</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>Gets or sets the call's JSON body, without the private key (column <c>body</c>).</summary>
    public string Body { get; set; } = "";

    /// <summary>Gets or sets the order of a sale or return (column <c>order_id</c>).</summary>
    public string? OrderId { get; set; }

    /// <summary>Gets or sets where the message is (column <c>state</c>: <c>pending</c>, <c>sent</c>, <c>failed</c>).</summary>
    public ClerkOutboxEntryState State { get; set; }

    /// <summary>Gets or sets when the message was tracked (column <c>created_at</c>).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when the message is next due to be sent (column <c>due_at</c>).</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Gets or sets how many attempts to send it have failed (column <c>attempts</c>).</summary>
    public int Attempts { get; set; }

    /// <summary>Gets or sets why the last attempt failed (column <c>last_error</c>; no keys, no e-mail addresses).</summary>
    public string? LastError { get; set; }

    /// <summary>Gets or sets the lease under which an instance is sending it (column <c>lease_id</c>).</summary>
    public Guid? LeaseId { get; set; }

    /// <summary>Gets or sets when that lease ends and another instance may take the message (column
    /// <c>lease_expires_at</c>).</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>Gets or sets when Clerk accepted it (column <c>sent_at</c>).</summary>
    public DateTimeOffset? SentAt { get; set; }
}
