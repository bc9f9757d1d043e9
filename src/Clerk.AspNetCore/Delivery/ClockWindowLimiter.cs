using System.Threading.RateLimiting;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// A fixed window on the injected <see cref="TimeProvider"/> (the framework's windows run on the system clock). A
/// request for 0 permits asks whether any is left, without taking one. The click beacon's and the feeds' per-client
/// limits.
/// </summary>
internal sealed class ClockWindowLimiter(int limit, TimeSpan window, TimeProvider time) : RateLimiter
{
    private readonly Lock _lock = new();
    private DateTimeOffset _windowStart = time.GetUtcNow();
    private int _used;

    // Idle partitions are removed by the partitioned limiter, so a client's window costs nothing once it ends.
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetUtcNow();
                var end = _windowStart + window;
                return now >= end ? now - end : _used == 0 ? now - _windowStart : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Roll(time.GetUtcNow());
            return new RateLimiterStatistics { CurrentAvailablePermits = limit - _used };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            Roll(now);
            if (permitCount == 0 ? _used < limit : _used + permitCount <= limit)
            {
                _used += permitCount;
                return WindowLease.Granted;
            }

            return new WindowLease(false, _windowStart + window - now);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Roll(DateTimeOffset now)
    {
        if (now - _windowStart >= window)
        {
            _windowStart = now;
            _used = 0;
        }
    }
}

internal sealed class WindowLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
{
    public static readonly WindowLease Granted = new(true, null);

    public override bool IsAcquired => acquired;

    public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = wait;
            return true;
        }

        metadata = null;
        return false;
    }
}
