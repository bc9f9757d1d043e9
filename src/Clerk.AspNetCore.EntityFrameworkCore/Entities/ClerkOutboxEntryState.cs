namespace Clerk.AspNetCore;

/// <summary>Where a <see cref="ClerkOutboxEntry"/> is; stored as <c>pending</c>, <c>sent</c> or <c>failed</c>.</summary>
public enum ClerkOutboxEntryState
{
    /// <summary>Waiting to be sent (possibly leased by an instance, possibly being retried).</summary>
    Pending = 0,

    /// <summary>Clerk accepted it; kept for <see cref="ClerkEntityFrameworkOptions.SentRetention"/>, then deleted.</summary>
    Sent = 1,

    /// <summary>Ran out of retries or Clerk refused it; kept until it is re-driven (never deleted automatically).</summary>
    Failed = 2,
}
