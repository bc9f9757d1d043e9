namespace Clerk.AspNetCore.Diagnostics;

/// <summary>
/// What the health check needs to know about sales and deliveries: when the last sale went out (from the server, or
/// rendered for Clerk.js), and whether the last deliveries failed. Updated lock-free on every delivery.
/// </summary>
internal sealed class DeliveryHealth(TimeProvider time)
{
    private readonly long _startedAt = time.GetUtcNow().UtcTicks;
    private long _lastSaleAt;
    private long _lastDeliveredAt;
    private long _lastFailedAt;
    private string? _lastFailure;

    public DateTimeOffset StartedAt => new(_startedAt, TimeSpan.Zero);

    public DateTimeOffset? LastSaleAt => Time(ref _lastSaleAt);

    public DateTimeOffset? LastDeliveredAt => Time(ref _lastDeliveredAt);

    public DateTimeOffset? LastFailedAt => Time(ref _lastFailedAt);

    public string? LastFailure => Volatile.Read(ref _lastFailure);

    public void SaleSent() => Interlocked.Exchange(ref _lastSaleAt, time.GetUtcNow().UtcTicks);

    public void Delivered() => Interlocked.Exchange(ref _lastDeliveredAt, time.GetUtcNow().UtcTicks);

    public void Failed(string reason)
    {
        Volatile.Write(ref _lastFailure, reason);
        Interlocked.Exchange(ref _lastFailedAt, time.GetUtcNow().UtcTicks);
    }

    private static DateTimeOffset? Time(ref long ticks)
    {
        var value = Interlocked.Read(ref ticks);
        return value == 0 ? null : new DateTimeOffset(value, TimeSpan.Zero);
    }
}
