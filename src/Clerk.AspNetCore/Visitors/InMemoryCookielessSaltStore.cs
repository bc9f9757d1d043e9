using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// The default salt store: one random 32-byte salt for the current UTC day, held in memory only. The previous day's
/// salt is kept through the midnight grace (<see cref="ClerkCookielessOptions.MidnightGrace"/>) for the visitors who
/// keep their ID in it, and forgotten when the grace ends (by a timer, whether or not a request comes); with the grace
/// off it is dropped as soon as a request of the new day asks. After that old IDs cannot be recomputed.
/// </summary>
/// <remarks>
/// "The current UTC day" is the store's own clock's, read when asked; the caller's <c>utcDay</c> may be a moment old.
/// A salt is therefore never dated after today: after a clock that ran days ahead is set back, the future day's salt
/// is replaced, instead of staying in use (and alive) until that day comes.
/// </remarks>
internal sealed class InMemoryCookielessSaltStore : IClerkCookielessSaltStore, IDisposable
{
    private const int SaltLength = 32;

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _grace;
    private DaySalt? _current;

    public InMemoryCookielessSaltStore(TimeProvider timeProvider, IOptions<ClerkOptions> options)
        : this(timeProvider, options.Value.Cookieless?.EffectiveGrace ?? TimeSpan.Zero)
    {
    }

    /// <summary>Without a midnight grace: yesterday's salt is dropped at once.</summary>
    internal InMemoryCookielessSaltStore(TimeProvider timeProvider)
        : this(timeProvider, TimeSpan.Zero)
    {
    }

    private InMemoryCookielessSaltStore(TimeProvider timeProvider, TimeSpan grace)
    {
        _timeProvider = timeProvider;
        _grace = grace;
    }

    public ValueTask<ReadOnlyMemory<byte>> GetSaltAsync(DateOnly utcDay, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        while (true)
        {
            // Read after the salt, so that a salt another request has just made for a new day is never mistaken for a
            // future-dated one: its clock reading came before ours. A request that began just before midnight (and
            // asks for yesterday) gets today's salt, unless the grace still keeps yesterday's.
            var now = _timeProvider.GetUtcNow().UtcDateTime;
            var today = DateOnly.FromDateTime(now);
            if (current is not null && current.Day == today)
            {
                if (utcDay == today.AddDays(-1) && now.TimeOfDay < _grace && Volatile.Read(ref current.Previous) is { } previous)
                {
                    return ValueTask.FromResult<ReadOnlyMemory<byte>>(previous);
                }

                return ValueTask.FromResult<ReadOnlyMemory<byte>>(current.Salt);
            }

            // Yesterday's salt goes with the new one while the grace lasts; set before the new salt is published, so
            // no request of the grace finds it missing.
            var keep = current is not null && current.Day == today.AddDays(-1) && now.TimeOfDay < _grace ? current.Salt : null;
            var fresh = new DaySalt(today, RandomNumberGenerator.GetBytes(SaltLength)) { Previous = keep };
            var seen = Interlocked.CompareExchange(ref _current, fresh, current);
            if (ReferenceEquals(seen, current))
            {
                current?.Dispose();
                if (keep is not null)
                {
                    fresh.ForgetPreviousAfter(_timeProvider, _grace - now.TimeOfDay);
                }

                if (utcDay != today)
                {
                    current = fresh;
                    continue;
                }

                return ValueTask.FromResult<ReadOnlyMemory<byte>>(fresh.Salt);
            }

            current = seen;
        }
    }

    public void Dispose() => Volatile.Read(ref _current)?.Dispose();

    private sealed class DaySalt(DateOnly day, byte[] salt) : IDisposable
    {
        // The previous day's salt while the grace lasts; cleared when it ends.
        public byte[]? Previous;

        private ITimer? _forget;

        public DateOnly Day { get; } = day;

        public byte[] Salt { get; } = salt;

        /// <summary>Forgets the previous day's salt when the grace ends.</summary>
        public void ForgetPreviousAfter(TimeProvider timeProvider, TimeSpan remaining)
        {
            _forget = timeProvider.CreateTimer(
                static state => ((DaySalt)state!).Dispose(), this, remaining, Timeout.InfiniteTimeSpan);
        }

        public void Dispose()
        {
            Volatile.Write(ref Previous, null);
            _forget?.Dispose();
        }
    }
}
