using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Sales;

/// <summary>
/// The default <see cref="IClerkSaleLedger"/>: claims in a memory cache of its own, kept for
/// <see cref="ClerkSaleLedgerOptions.Retention"/> and bounded to <see cref="ClerkSaleLedgerOptions.SizeLimit"/>
/// orders (the oldest are forgotten first). Its own cache, so the app's cache settings cannot evict claims early.
/// </summary>
internal sealed class MemoryCacheSaleLedger : IClerkSaleLedger, IDisposable
{
    // The memory cache has no atomic add; one lock around check-and-set makes a claim atomic. Claims are rare
    // (one per order) and the critical section is a dictionary lookup, so the lock costs nothing measurable.
    private readonly Lock _gate = new();
    private readonly MemoryCache _claims;
    private readonly TimeSpan _retention;

    public MemoryCacheSaleLedger(IOptions<ClerkOptions> options, TimeProvider timeProvider)
    {
        var ledger = options.Value.SaleLedger;
        _retention = ledger.Retention;
        _claims = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = ledger.SizeLimit,
            Clock = new TimeProviderClock(timeProvider),
            CompactionPercentage = 0.05,
        });
    }

    public ValueTask<bool> TryClaimAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        lock (_gate)
        {
            if (_claims.TryGetValue(orderId, out _))
            {
                return ValueTask.FromResult(false);
            }

            Store(orderId);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        lock (_gate)
        {
            _claims.Remove(orderId);
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => _claims.Dispose();

    private void Store(string orderId)
    {
        var entry = new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _retention };
        _claims.Set(orderId, true, entry);

        // A full cache refuses new entries (and compacts later, in the background). A refused claim would let the
        // next refresh send the sale again, so make room now by forgetting the least recently seen orders (5%, and
        // at least one however small the limit), and store again.
        if (!_claims.TryGetValue(orderId, out _))
        {
            _claims.Compact(Math.Max(0.05, 1.0 / Math.Max(1, _claims.Count)));
            _claims.Set(orderId, true, entry);
        }
    }

    private sealed class TimeProviderClock(TimeProvider timeProvider) : ISystemClock
    {
        public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
    }
}
