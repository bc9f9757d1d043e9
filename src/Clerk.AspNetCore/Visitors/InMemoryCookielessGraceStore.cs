using System.Collections.Concurrent;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// The default grace store: the cookieless IDs seen in the last minutes of one UTC day, in memory, at most
/// <see cref="MaxVisitors"/> of them (about 100 bytes each). They are forgotten by a timer when the next day's grace
/// ends, whether or not a request comes, so nothing about a visitor is kept longer.
/// </summary>
internal sealed class InMemoryCookielessGraceStore : IClerkCookielessGraceStore, IDisposable
{
    /// <summary>More visitors than this in the activity window are not recorded (they get the new day's ID at midnight).</summary>
    internal const int MaxVisitors = 100_000;

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _grace;
    private readonly ILogger _logger;
    private DayVisitors? _current;

    public InMemoryCookielessGraceStore(TimeProvider timeProvider, IOptions<ClerkOptions> options, ILogger<InMemoryCookielessGraceStore> logger)
    {
        _timeProvider = timeProvider;
        _grace = options.Value.Cookieless?.EffectiveGrace ?? TimeSpan.Zero;
        _logger = logger;
    }

    public void RecordActive(DateOnly utcDay, string visitorId)
    {
        var day = For(utcDay);
        if (day is not null && day.TryAddReportingFull(visitorId))
        {
            _logger.MidnightGraceFull(MaxVisitors);
        }
    }

    public ValueTask<bool> WasActiveAsync(DateOnly utcDay, string visitorId, CancellationToken cancellationToken)
    {
        var day = Volatile.Read(ref _current);
        return ValueTask.FromResult(day is not null && day.Day == utcDay && day.Contains(visitorId));
    }

    public void Dispose() => Volatile.Read(ref _current)?.Dispose();

    private DayVisitors? For(DateOnly utcDay)
    {
        var current = Volatile.Read(ref _current);
        while (current is null || current.Day < utcDay)
        {
            var fresh = new DayVisitors(utcDay, MaxVisitors);
            var seen = Interlocked.CompareExchange(ref _current, fresh, current);
            if (!ReferenceEquals(seen, current))
            {
                current = seen;
                continue;
            }

            current?.Dispose();

            // Forgotten when the grace after this day ends: nothing about these visitors outlives it.
            var forgetAt = utcDay.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) + _grace;
            var due = new DateTimeOffset(forgetAt) - _timeProvider.GetUtcNow();
            fresh.ForgetAfter(_timeProvider, due < TimeSpan.Zero ? TimeSpan.Zero : due, () => Forget(fresh));
            return fresh;
        }

        // A record for a day already replaced (a request that began before the next night's window) is not kept.
        return current.Day == utcDay ? current : null;
    }

    private void Forget(DayVisitors day)
    {
        Interlocked.CompareExchange(ref _current, null, day);
        day.Dispose();
    }
}

/// <summary>One day's active visitor IDs: a bounded set, and the timer that forgets it.</summary>
internal sealed class DayVisitors(DateOnly day, int capacity) : IDisposable
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);
    private int _count;
    private int _fullReported;
    private ITimer? _forget;

    public DateOnly Day { get; } = day;

    public bool Contains(string visitorId) => _ids.ContainsKey(visitorId);

    /// <summary>Adds a visitor; <see langword="true"/> only the first time the set turns one away for being full.</summary>
    public bool TryAddReportingFull(string visitorId)
    {
        // The common case in the window: a visitor's second and later requests. A lookup, no lock, no allocation.
        if (_ids.ContainsKey(visitorId))
        {
            return false;
        }

        // Counted apart: ConcurrentDictionary.Count takes every lock of the dictionary.
        if (Interlocked.Increment(ref _count) > capacity)
        {
            Interlocked.Decrement(ref _count);
            return Interlocked.Exchange(ref _fullReported, 1) == 0;
        }

        if (!_ids.TryAdd(visitorId, 0))
        {
            Interlocked.Decrement(ref _count);
        }

        return false;
    }

    public void ForgetAfter(TimeProvider timeProvider, TimeSpan due, Action forget) =>
        _forget = timeProvider.CreateTimer(static state => ((Action)state!)(), forget, due, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _forget?.Dispose();
        _ids.Clear();
    }
}
