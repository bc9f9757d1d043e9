using System.Diagnostics.Metrics;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>
/// The data feeds' instruments, on the package's meter (<see cref="ClerkDiagnostics.MeterName"/>; the meter factory
/// gives every caller of that name the same meter). Listed in docs/events.md.
/// </summary>
internal sealed class FeedMetrics
{
    private readonly Counter<long> _items;
    private readonly Counter<long> _pages;
    private readonly Counter<long> _authenticationFailures;
    private readonly Counter<long> _rejected;

    public FeedMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ClerkDiagnostics.MeterName);
        _items = meter.CreateCounter<long>(
            "clerk.feed.items", "{item}", "Items the data feeds wrote for Clerk's importer, by feed and store.");
        _pages = meter.CreateCounter<long>(
            "clerk.feed.pages", "{page}", "Pages of the data feeds answered to an authenticated importer, by feed, store and outcome (served, failed, aborted).");
        _authenticationFailures = meter.CreateCounter<long>(
            "clerk.feed.authentication.failures", "{request}", "Requests for the data feeds refused with 403, by reason (and store, when the request's key named one).");
        _rejected = meter.CreateCounter<long>(
            "clerk.feed.rejected", "{request}", "Requests for the data feeds refused before serving: over the per-client limit, too many failed authentications, or bad arguments, by reason.");
    }

    public void ItemsWritten(string feed, int count, string? store = null)
    {
        if (count > 0)
        {
            if (store is null)
            {
                _items.Add(count, Feed(feed));
            }
            else
            {
                _items.Add(count, Feed(feed), Store(store));
            }
        }
    }

    public void Page(string feed, string outcome, string? store = null)
    {
        if (store is null)
        {
            _pages.Add(1, Feed(feed), new KeyValuePair<string, object?>("clerk.feed.outcome", outcome));
        }
        else
        {
            _pages.Add(1, Feed(feed), new KeyValuePair<string, object?>("clerk.feed.outcome", outcome), Store(store));
        }
    }

    /// <summary>A refusal; <paramref name="store"/> is the name of the store the request's key named, if it named one.</summary>
    public void AuthenticationFailed(string feed, string reason, string? store = null)
    {
        if (store is null)
        {
            _authenticationFailures.Add(1, Feed(feed), new KeyValuePair<string, object?>("clerk.reason", reason));
        }
        else
        {
            _authenticationFailures.Add(1, Feed(feed), new KeyValuePair<string, object?>("clerk.reason", reason), Store(store));
        }
    }

    public void Rejected(string feed, string reason) =>
        _rejected.Add(1, Feed(feed), new KeyValuePair<string, object?>("clerk.reason", reason));

    private static KeyValuePair<string, object?> Feed(string feed) => new("clerk.feed", feed);

    /// <summary>The store's name, never a key: names are few and safe to show.</summary>
    private static KeyValuePair<string, object?> Store(string store) => new("clerk.store", store);
}
