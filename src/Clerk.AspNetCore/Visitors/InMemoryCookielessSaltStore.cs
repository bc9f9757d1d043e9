using System.Security.Cryptography;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// The default salt store: one random 32-byte salt for the current UTC day, held in memory only. The previous day's
/// salt is dropped as soon as a request of the new day asks, so old IDs cannot be recomputed.
/// </summary>
/// <remarks>
/// "The current UTC day" is the store's own clock's, read when asked; the caller's <c>utcDay</c> may be a moment old.
/// A salt is therefore never dated after today: after a clock that ran days ahead is set back, the future day's salt
/// is replaced, instead of staying in use (and alive) until that day comes.
/// </remarks>
internal sealed class InMemoryCookielessSaltStore(TimeProvider timeProvider) : IClerkCookielessSaltStore
{
    private const int SaltLength = 32;

    private DaySalt? _current;

    public ValueTask<ReadOnlyMemory<byte>> GetSaltAsync(DateOnly utcDay, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        while (true)
        {
            // Read after the salt, so that a salt another request has just made for a new day is never mistaken for a
            // future-dated one: its clock reading came before ours. A request that began just before midnight (and
            // asks for yesterday) gets today's salt, because yesterday's is already forgotten.
            var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
            if (current is not null && current.Day == today)
            {
                return ValueTask.FromResult<ReadOnlyMemory<byte>>(current.Salt);
            }

            var fresh = new DaySalt(today, RandomNumberGenerator.GetBytes(SaltLength));
            var seen = Interlocked.CompareExchange(ref _current, fresh, current);
            if (ReferenceEquals(seen, current))
            {
                return ValueTask.FromResult<ReadOnlyMemory<byte>>(fresh.Salt);
            }

            current = seen;
        }
    }

    private sealed record DaySalt(DateOnly Day, byte[] Salt);
}
