namespace Clerk.AspNetCore;

/// <summary>How events tracked on the server (<see cref="IClerkTracker"/>) are queued and delivered to Clerk.</summary>
public sealed class ClerkDeliveryOptions
{
    /// <summary>
    /// How many clicks, views and e-mails may wait for delivery; when the queue is full, new ones are dropped and
    /// counted (<c>clerk.delivery.dropped</c>). Sales and returns have a queue of the same size of their own, and are
    /// never dropped: when it is full, tracking a sale waits for room.
    /// </summary>
    /// <value>Defaults to 10,000.</value>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>How many calls to Clerk are made at once.</summary>
    /// <value>Defaults to 4.</value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>The wait before the first retry; later waits double (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>Defaults to 1 second.</value>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two tries, also for a longer <c>Retry-After</c>.</summary>
    /// <value>Defaults to 5 minutes.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a sale or a return is retried after it was tracked. After that it is logged as an error with its
    /// whole payload (event 35), so it can be sent by hand, and its order is released in the sale ledger.
    /// </summary>
    /// <value>Defaults to 24 hours.</value>
    public TimeSpan SaleGiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many times a click, view or e-mail is tried before it is dropped (and counted).</summary>
    /// <value>Defaults to 4.</value>
    public int MaxEventAttempts { get; set; } = 4;

    /// <summary>
    /// The health check (<c>AddHealthChecks().AddClerk()</c>) reports Degraded when no sale has reached Clerk for this
    /// long, as Clerk's dashboard shows sales tracking red. <see langword="null"/> turns this part of the check off.
    /// </summary>
    /// <value>Defaults to 24 hours.</value>
    public TimeSpan? SalesHealthWindow { get; set; } = TimeSpan.FromHours(24);
}
