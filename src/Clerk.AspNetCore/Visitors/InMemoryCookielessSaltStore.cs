using System.Security.Cryptography;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// The default salt store: one random 32-byte salt for the current UTC day, held in memory only. The previous day's
/// salt is dropped as soon as a request of the new day asks, so old IDs cannot be recomputed.
/// </summary>
internal sealed class InMemoryCookielessSaltStore : IClerkCookielessSaltStore
{
    private const int SaltLength = 32;

    private DaySalt? _current;

    public ValueTask<ReadOnlyMemory<byte>> GetSaltAsync(DateOnly utcDay, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);

        // A request that began just before midnight may still ask for yesterday: it gets today's salt, because
        // yesterday's is already forgotten.
        while (current is null || current.Day < utcDay)
        {
            var fresh = new DaySalt(utcDay, RandomNumberGenerator.GetBytes(SaltLength));
            var seen = Interlocked.CompareExchange(ref _current, fresh, current);
            current = ReferenceEquals(seen, current) ? fresh : seen;
        }

        return ValueTask.FromResult<ReadOnlyMemory<byte>>(current.Salt);
    }

    private sealed record DaySalt(DateOnly Day, byte[] Salt);
}
