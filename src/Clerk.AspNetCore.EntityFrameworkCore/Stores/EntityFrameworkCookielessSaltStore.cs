using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// The cookieless salts in <c>clerk_cookieless_salts</c>: one random 32-byte salt per store and UTC day, shared by
/// every instance. The first instance to ask for a day inserts a fresh salt if the day has none (insert-if-absent),
/// then every instance reads the one row that won, so all derive the same visitor IDs. Each instance keeps the day's
/// salt in memory until the day ends: the request path touches the database once per day and instance, and
/// concurrent first requests of the day share that one trip.
/// </summary>
/// <remarks>
/// The day asked for is honoured when it is today or yesterday by the store's clock (yesterday's salt is kept by the
/// cleanup for a grace period around midnight); any other day is answered with today's salt, so a salt is never
/// dated in the future nor revived after its deletion. The salt is never logged or put into an exception.
/// </remarks>
internal sealed class EntityFrameworkCookielessSaltStore<TContext>(
    ClerkContextAccess<TContext> access,
    TimeProvider timeProvider,
    ILogger<EntityFrameworkCookielessSaltStore<TContext>> logger)
    : IClerkCookielessSaltStore
    where TContext : DbContext, IClerkDbContext
{
    private readonly Lock _gate = new();
    private readonly Dictionary<DateOnly, Task<byte[]>> _days = [];
    private DaySalt? _latest;

    public ValueTask<ReadOnlyMemory<byte>> GetSaltAsync(DateOnly utcDay, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var day = utcDay == today.AddDays(-1) ? utcDay : today;

        // The request path: today's salt, from memory.
        var latest = Volatile.Read(ref _latest);
        if (latest is not null && latest.Day == day)
        {
            return ValueTask.FromResult<ReadOnlyMemory<byte>>(latest.Salt);
        }

        return LoadAsync(day, today, cancellationToken);
    }

    private async ValueTask<ReadOnlyMemory<byte>> LoadAsync(DateOnly day, DateOnly today, CancellationToken cancellationToken)
    {
        Task<byte[]> load;
        lock (_gate)
        {
            // Days before yesterday are over: forget them, so old visitor IDs cannot be recomputed from this process.
            foreach (var old in _days.Keys.Where(d => d < today.AddDays(-1)).ToList())
            {
                _days.Remove(old);
            }

            if (!_days.TryGetValue(day, out load!) || load.IsFaulted || load.IsCanceled)
            {
                // Not the caller's token: the trip is shared, and one aborted request must not fail the others.
                load = FetchAsync(day);
                _days[day] = load;
            }
        }

        var salt = await load.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (day == today)
        {
            Volatile.Write(ref _latest, new DaySalt(day, salt));
        }

        return salt;
    }

    private async Task<byte[]> FetchAsync(DateOnly day)
    {
        // Off the caller's synchronous path, so that the lock above is never held across the database trip.
        await Task.Yield();
        var store = access.Store;
        await using var lease = access.Fresh();
        var context = lease.Context;
        var sql = access.Sql(context);
        int created;
        try
        {
            created = await context.Database.ExecuteSqlRawAsync(
                sql.InsertSalt,
                [store, day, RandomNumberGenerator.GetBytes(ClerkSchema.SaltLength), ClerkSchema.ToUtc(timeProvider.GetUtcNow())]).ConfigureAwait(false);
        }
        catch (DbException) when (sql.Provider is ClerkProvider.Other)
        {
            // Without an atomic insert-if-absent another instance can win the race between NOT EXISTS and INSERT;
            // its salt is the day's salt, read below (if there is none, the read fails and the next request retries).
            created = 0;
        }

        var salt = await context.ClerkCookielessSalts.AsNoTracking()
            .Where(s => s.Store == store && s.Day == day)
            .Select(s => s.Salt)
            .SingleAsync().ConfigureAwait(false);
        ClerkEntityFrameworkLog.SaltLoaded(logger, day, created == 1);
        return salt;
    }

    private sealed record DaySalt(DateOnly Day, byte[] Salt);
}
