using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// The cookieless salts in <c>clerk_cookieless_salts</c>: one random 32-byte salt per store and UTC day, shared by
/// every instance. The first instance to ask for a day inserts a fresh salt if the day has none (insert-if-absent),
/// then every instance reads the one row that won, so all derive the same visitor IDs. Each instance keeps the day's
/// salt in memory until the day ends: the request path touches the database once per day and instance, and
/// concurrent first requests of the day share that one trip.
/// </summary>
/// <remarks>
/// The day asked for is honoured when it is today, or yesterday during the midnight grace
/// (<see cref="ClerkCookielessOptions.MidnightGrace"/>) by the store's clock; any other day is answered with today's
/// salt, so a salt is never dated in the future nor revived after its deletion. Yesterday's salt, once loaded for the
/// grace, is forgotten from memory and deleted from the database by a timer when the grace ends (and by the periodic
/// cleanup otherwise). The salt is never logged or put into an exception.
/// </remarks>
internal sealed class EntityFrameworkCookielessSaltStore<TContext>(
    ClerkContextAccess<TContext> access,
    ClerkCleanup<TContext> cleanup,
    TimeProvider timeProvider,
    IOptions<ClerkOptions> options,
    ILogger<EntityFrameworkCookielessSaltStore<TContext>> logger)
    : IClerkCookielessSaltStore, IDisposable
    where TContext : DbContext, IClerkDbContext
{
    private readonly TimeSpan _grace = ClerkSchema.MidnightGrace(options.Value);
    private readonly Lock _gate = new();
    private ITimer? _forgetYesterday;
    private readonly Dictionary<DateOnly, Task<byte[]>> _days = [];
    private DaySalt? _latest;

    public ValueTask<ReadOnlyMemory<byte>> GetSaltAsync(DateOnly utcDay, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var day = utcDay == today.AddDays(-1) && now.TimeOfDay < _grace ? utcDay : today;

        // The request path: today's salt, from memory.
        var latest = Volatile.Read(ref _latest);
        if (latest is not null && latest.Day == day)
        {
            return ValueTask.FromResult<ReadOnlyMemory<byte>>(latest.Salt);
        }

        return LoadAsync(day, today, now, cancellationToken);
    }

    public void Dispose() => _forgetYesterday?.Dispose();

    private async ValueTask<ReadOnlyMemory<byte>> LoadAsync(DateOnly day, DateOnly today, DateTime now, CancellationToken cancellationToken)
    {
        Task<byte[]> load;
        lock (_gate)
        {
            if (!_days.TryGetValue(day, out load!) || load.IsFaulted || load.IsCanceled)
            {
                // Days whose grace is over: forgotten as a new day is loaded (and by the timer at the grace's end),
                // so old visitor IDs cannot be recomputed from this process.
                ForgetOverDays(now);

                // Not the caller's token: the trip is shared, and one aborted request must not fail the others.
                load = FetchAsync(day);
                _days[day] = load;
                if (day < today)
                {
                    // Yesterday's salt, loaded for the grace: forgotten here and deleted from the database when it ends.
                    var due = _grace - now.TimeOfDay;
                    var forget = timeProvider.CreateTimer(
                        static state => { var (store, yesterday) = ((EntityFrameworkCookielessSaltStore<TContext>, DateOnly))state!; _ = store.ForgetAsync(yesterday); },
                        (this, day), due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                    Interlocked.Exchange(ref _forgetYesterday, forget)?.Dispose();
                }
            }
        }

        var salt = await load.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (day == today)
        {
            Volatile.Write(ref _latest, new DaySalt(day, salt));
        }

        return salt;
    }

    private void ForgetOverDays(DateTime now)
    {
        var oldestKept = DateOnly.FromDateTime(now - _grace);
        foreach (var old in _days.Keys.Where(d => d < oldestKept).ToList())
        {
            _days.Remove(old);
        }
    }

    private async Task ForgetAsync(DateOnly yesterday)
    {
        lock (_gate)
        {
            ForgetOverDays(timeProvider.GetUtcNow().UtcDateTime);
        }

        await cleanup.ForgetDayAsync(yesterday).ConfigureAwait(false);
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
