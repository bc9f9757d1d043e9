namespace Clerk.AspNetCore;

/// <summary>How events tracked on the server (<see cref="IClerkTracker"/>) are queued and delivered to Clerk.</summary>
public sealed class ClerkDeliveryOptions
{
    /// <summary>
    /// How many clicks, views and e-mails may wait for delivery; when the queue is full, new ones are dropped and
    /// counted (<c>clerk.delivery.dropped</c>). Sales and returns are not in this queue: they wait in the
    /// <see cref="IClerkOutbox"/>, and tracking one never waits.
    /// </summary>
    /// <value>Defaults to 10,000.</value>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>How many calls to Clerk are made at once: by the worker of clicks, views and e-mails, and again by the worker of the outbox (sales and returns).</summary>
    /// <value>Defaults to 4.</value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>The wait before the first retry; later waits double (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>Defaults to 1 second.</value>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two tries, also for a longer <c>Retry-After</c>.</summary>
    /// <value>Defaults to 5 minutes.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a sale or a return is retried after it was tracked. After that it is marked failed in the
    /// <see cref="IClerkOutbox"/> (the health check is Degraded until <see cref="IClerkOutbox.RedriveFailedAsync"/>),
    /// logged as an error naming the order and its number of lines (event 35; the payload, to send by hand, is event
    /// 42 at Debug), and its order is released in the sale ledger.
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

    /// <summary>
    /// How often the outbox worker looks for sales and returns that are due when it has nothing to do. A sale tracked
    /// by this instance wakes it at once, and a retry it scheduled itself wakes it when due; the interval matters for
    /// messages added or re-driven by other instances, or in the database by hand.
    /// </summary>
    /// <value>Defaults to 1 second.</value>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many due sales and returns the outbox worker leases at once; they are sent
    /// <see cref="MaxConcurrency"/> at a time and marked sent together, in one write.
    /// </summary>
    /// <value>Defaults to 64.</value>
    public int OutboxBatchSize { get; set; } = 64;

    /// <summary>
    /// How long an instance holds the sales it leased from the outbox. If it crashes, another instance takes them up
    /// once this has passed, so shorter means faster recovery; it must comfortably outlast one call to Clerk
    /// (<see cref="ClerkOptions.ApiTimeout"/>), or a slow call could be sent again by another instance meanwhile.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: 1 minute, or 4 × <see cref="ClerkOptions.ApiTimeout"/> if longer.</value>
    public TimeSpan? OutboxLeaseDuration { get; set; }
}
