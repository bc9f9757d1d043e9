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
            "clerk.feed.items", "{item}", "Items the data feeds wrote for Clerk's importer, by feed.");
        _pages = meter.CreateCounter<long>(
            "clerk.feed.pages", "{page}", "Pages of the data feeds answered to an authenticated importer, by feed and outcome (served, failed, aborted).");
        _authenticationFailures = meter.CreateCounter<long>(
            "clerk.feed.authentication.failures", "{request}", "Requests for the data feeds refused with 403, by reason.");
        _rejected = meter.CreateCounter<long>(
            "clerk.feed.rejected", "{request}", "Requests for the data feeds refused before serving: over the per-client limit, too many failed authentications, or bad arguments, by reason.");
    }

    public void ItemsWritten(string feed, int count)
    {
        if (count > 0)
        {
            _items.Add(count, Feed(feed));
        }
    }

    public void Page(string feed, string outcome) =>
        _pages.Add(1, Feed(feed), new KeyValuePair<string, object?>("clerk.feed.outcome", outcome));

    public void AuthenticationFailed(string feed, string reason) =>
        _authenticationFailures.Add(1, Feed(feed), new KeyValuePair<string, object?>("clerk.reason", reason));

    public void Rejected(string feed, string reason) =>
        _rejected.Add(1, Feed(feed), new KeyValuePair<string, object?>("clerk.reason", reason));

    private static KeyValuePair<string, object?> Feed(string feed) => new("clerk.feed", feed);
}
