using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Sales;

/// <summary>
/// The default <see cref="IClerkSaleLedger"/>, for one process: claims kept for
/// <see cref="ClerkSaleLedgerOptions.Retention"/> and bounded to <see cref="ClerkSaleLedgerOptions.SizeLimit"/>
/// orders, the least recently seen forgotten first. A dictionary and a list in recency order under one lock, rather
/// than a size-limited MemoryCache: the cache compacts in the background, in an order it chooses when timestamps tie,
/// so under a burst it could drop the claim just made, and a refresh would then send the sale a second time.
/// </summary>
internal sealed class InMemorySaleLedger : IClerkSaleLedger
{
    // Claims are rare (one per order) and every operation is a dictionary lookup and a list splice: one lock makes
    // check-and-set atomic at no measurable cost.
    private readonly Lock _gate = new();
    // Keyed by store and order: two markets may number their orders alike. A value tuple, so a claim allocates no
    // combined key (strings compare ordinally by default).
    private readonly Dictionary<(string Store, string OrderId), LinkedListNode<Claim>> _claims = new();
    private readonly LinkedList<Claim> _leastRecentlySeenFirst = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private readonly int _sizeLimit;

    // No claim expires before this (a lower bound): at the limit, the walk for expired claims is skipped until then,
    // so a ledger kept full by more orders than fit in its retention does not walk every claim on every new order.
    private DateTimeOffset _nextExpiry = DateTimeOffset.MaxValue;

    public InMemorySaleLedger(IOptions<ClerkOptions> options, TimeProvider timeProvider)
    {
        var ledger = options.Value.SaleLedger;
        _retention = ledger.Retention;
        _sizeLimit = Math.Max(1, ledger.SizeLimit);
        _time = timeProvider;
    }

    public ValueTask<bool> TryClaimAsync(string store, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var key = (store, orderId);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_claims.TryGetValue(key, out var existing))
            {
                if (existing.Value.ExpiresAt > now)
                {
                    // Seen again (a refresh, a second tab): it stays claimed and becomes the most recently seen.
                    _leastRecentlySeenFirst.Remove(existing);
                    _leastRecentlySeenFirst.AddLast(existing);
                    return ValueTask.FromResult(false);
                }

                Forget(existing);
            }

            MakeRoom(now);
            var expiresAt = now + _retention;
            _claims[key] = _leastRecentlySeenFirst.AddLast(new Claim(key, expiresAt));
            if (expiresAt < _nextExpiry)
            {
                _nextExpiry = expiresAt;
            }
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAsync(string store, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var key = (store, orderId);
        lock (_gate)
        {
            if (_claims.TryGetValue(key, out var claim))
            {
                Forget(claim);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>At the limit: expired claims go first, then the least recently seen, until one more fits.</summary>
    private void MakeRoom(DateTimeOffset now)
    {
        if (_claims.Count < _sizeLimit)
        {
            return;
        }

        if (_nextExpiry <= now)
        {
            var nextExpiry = DateTimeOffset.MaxValue;
            for (var node = _leastRecentlySeenFirst.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.ExpiresAt <= now)
                {
                    Forget(node);
                }
                else if (node.Value.ExpiresAt < nextExpiry)
                {
                    nextExpiry = node.Value.ExpiresAt;
                }

                node = next;
            }

            _nextExpiry = nextExpiry;
        }

        while (_claims.Count >= _sizeLimit)
        {
            Forget(_leastRecentlySeenFirst.First!);
        }
    }

    private void Forget(LinkedListNode<Claim> node)
    {
        _claims.Remove(node.Value.Key);
        _leastRecentlySeenFirst.Remove(node);
    }

    private sealed record Claim((string Store, string OrderId) Key, DateTimeOffset ExpiresAt);
}
