using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>The package's instruments, on the meter <see cref="MeterName"/> (listed in docs/events.md).</summary>
internal sealed class ClerkMetrics
{
    public const string MeterName = ClerkDiagnostics.MeterName;

    /// <summary>The tag that names a measurement's Clerk store by its name (never by a key).</summary>
    public const string StoreTag = "clerk.store";

    /// <summary>
    /// Bucket boundaries of <c>clerk.delivery.latency</c>, in seconds. The default boundaries (milliseconds up to 10 s)
    /// suit a request, not a delivery: clicks take tens of milliseconds, but a sale is retried for hours while Clerk is
    /// unreachable, and that tail is what an alert must see.
    /// </summary>
    public static readonly IReadOnlyList<double> LatencyBuckets =
        [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];

    private readonly Counter<long> _visitors;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _withheld;
    private readonly Counter<long> _markupProblems;
    private readonly Counter<long> _salesRendered;
    private readonly Counter<long> _salesSuppressed;
    private readonly Meter _meter;
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _deliveryFailed;
    private readonly Histogram<double> _latency;

    public ClerkMetrics(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        _visitors = meter.CreateCounter<long>(
            "clerk.visitor.requests", "{request}", "Requests that got a Clerk visitor identity, by visitor mode.");
        _withheld = meter.CreateCounter<long>(
            "clerk.visitor.withheld", "{request}", "Undecided visitors given no cookieless visitor ID because their address could not be trusted, by reason.");
        _failures = meter.CreateCounter<long>(
            "clerk.tracking.failures", "{failure}", "Tracking failures that were contained so the request could go on, by stage.");
        _markupProblems = meter.CreateCounter<long>(
            "clerk.markup.problems", "{problem}", "Mistakes in Clerk markup found while rendering a page (in Production; Development throws), by problem.");
        _salesRendered = meter.CreateCounter<long>(
            "clerk.sales.rendered", "{sale}", "Sales rendered into an order confirmation page for Clerk.js to send.");
        _salesSuppressed = meter.CreateCounter<long>(
            "clerk.sales.suppressed", "{sale}", "Sales not rendered or queued again because the order was already sent (refresh, back button, second tab).");
        _enqueued = meter.CreateCounter<long>(
            "clerk.delivery.enqueued", "{event}", "Server-side events queued for delivery to Clerk, by event.");
        _sent = meter.CreateCounter<long>(
            "clerk.delivery.sent", "{event}", "Server-side events Clerk accepted, by event.");
        _retried = meter.CreateCounter<long>(
            "clerk.delivery.retried", "{retry}", "Retries of server-side events after a transient failure, by event.");
        _dropped = meter.CreateCounter<long>(
            "clerk.delivery.dropped", "{event}", "Clicks, views and e-mails dropped (queue full, or every try failed), by event and reason. Sales are never dropped.");
        _deliveryFailed = meter.CreateCounter<long>(
            "clerk.delivery.failed", "{event}", "Server-side events that failed for good (rejected by Clerk, given up, or invalid), by event and error type.");
        _latency = meter.CreateHistogram<double>(
            "clerk.delivery.latency", "s", "Time from tracking an event to Clerk accepting it, retries included, by event.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    public void ObserveQueueLength(Func<int> length) =>
        _meter.CreateObservableGauge("clerk.delivery.queue.length", length, "{event}", "Clicks, views and e-mails waiting for delivery (sales and returns wait in the outbox).");

    // Every delivery instrument is tagged with the event (clerk.event) and, where the store is known, the store's
    // name (clerk.store): never a key, so a dashboard can show each market without exposing the stores' keys.
    public void Enqueued(string kind, string? store = null) => _enqueued.Add(1, Tags(kind, store));

    public void Sent(string kind, TimeSpan latency, string? store = null)
    {
        var tags = Tags(kind, store);
        _sent.Add(1, tags);
        _latency.Record(latency.TotalSeconds, tags);
    }

    public void Retried(string kind, string? store = null) => _retried.Add(1, Tags(kind, store));

    public void Dropped(string kind, string reason, string? store = null) =>
        _dropped.Add(1, Tags(kind, store, new("clerk.reason", reason)));

    public void DeliveryFailed(string kind, string errorType, string? store = null) =>
        _deliveryFailed.Add(1, Tags(kind, store, new("clerk.error.type", errorType)));

    /// <summary>
    /// <c>clerk.event</c>, then <paramref name="extra"/>, then <c>clerk.store</c> (the store's <see cref="ClerkStore.Name"/>)
    /// when the store is known.
    /// </summary>
    private static TagList Tags(string kind, string? store, KeyValuePair<string, object?>? extra = null)
    {
        var tags = new TagList { { "clerk.event", kind } };
        if (extra is { } tag)
        {
            tags.Add(tag);
        }

        if (store is not null)
        {
            tags.Add(StoreTag, store);
        }

        return tags;
    }

    private static TagList StoreOnly(string? store) => store is null ? default : new TagList { { StoreTag, store } };

    public void VisitorResolved(ClerkVisitorMode mode)
    {
        if (_visitors.Enabled)
        {
            _visitors.Add(1, new KeyValuePair<string, object?>("clerk.visitor.mode", ModeTag(mode)));
        }
    }

    public void CookielessWithheld(string reason) =>
        _withheld.Add(1, new KeyValuePair<string, object?>("clerk.reason", reason));

    public void TrackingFailed(string stage) =>
        _failures.Add(1, new KeyValuePair<string, object?>("clerk.stage", stage));

    public void MarkupProblem(string problem) =>
        _markupProblems.Add(1, new KeyValuePair<string, object?>("clerk.problem", problem));

    public void SaleRendered(string? store = null) => _salesRendered.Add(1, StoreOnly(store));

    public void SaleSuppressed(string? store = null) => _salesSuppressed.Add(1, StoreOnly(store));

    private static string ModeTag(ClerkVisitorMode mode) => mode switch
    {
        ClerkVisitorMode.Persistent => "persistent",
        ClerkVisitorMode.Cookieless => "cookieless",
        _ => "disabled",
    };
}
