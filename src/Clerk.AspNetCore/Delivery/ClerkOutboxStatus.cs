namespace Clerk.AspNetCore;

/// <summary>How many messages of one Clerk store an <see cref="IClerkOutbox"/> holds, for the health check.</summary>
/// <param name="pending">Messages waiting to be sent, including those being retried.</param>
/// <param name="failed">Messages that ran out of retries or that Clerk refused; they wait to be re-driven.</param>
/// <param name="oldestPendingSince">When the oldest pending message was tracked, if any is pending.</param>
public sealed class ClerkOutboxStatus(int pending, int failed, DateTimeOffset? oldestPendingSince)
{
    /// <summary>Gets the number of messages waiting to be sent, including those being retried.</summary>
    public int Pending { get; } = pending;

    /// <summary>Gets the number of messages that failed for good and wait to be re-driven.</summary>
    public int Failed { get; } = failed;

    /// <summary>Gets when the oldest pending message was tracked, if any is pending.</summary>
    public DateTimeOffset? OldestPendingSince { get; } = oldestPendingSince;
}
