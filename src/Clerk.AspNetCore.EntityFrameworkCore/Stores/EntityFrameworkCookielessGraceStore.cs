using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// The midnight grace shared by every instance, in <c>clerk_cookieless_activity</c>. Before midnight each instance
/// records the cookieless IDs it sees in memory and writes the new ones in a batch, <see cref="FlushDelay"/> after
/// the first of them: no database write per request, and none at all outside the activity window. During the grace
/// a visitor this instance saw is answered from memory; any other from a snapshot of every instance's records, read
/// once and then refreshed in the background every <see cref="RefreshInterval"/> (the requests never wait for a
/// refresh). When the grace ends a timer drops all of it from memory and deletes the day's rows and salt.
/// </summary>
internal sealed class EntityFrameworkCookielessGraceStore<TContext> : IClerkCookielessGraceStore, IDisposable
    where TContext : DbContext, IClerkDbContext
{
    /// <summary>At most this many IDs are kept per day, by this instance and in the snapshot of all instances.</summary>
    internal const int MaxVisitors = 100_000;

    /// <summary>How long new records wait to be written together.</summary>
    internal static readonly TimeSpan FlushDelay = TimeSpan.FromSeconds(2);

    /// <summary>How old the snapshot of every instance's records may get during the grace.</summary>
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly ClerkContextAccess<TContext> _access;
    private readonly ClerkCleanup<TContext> _cleanup;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _grace;
    private readonly ILogger _logger;
    private Day? _current;

    public EntityFrameworkCookielessGraceStore(
        ClerkContextAccess<TContext> access,
        ClerkCleanup<TContext> cleanup,
        TimeProvider timeProvider,
        IOptions<ClerkOptions> options,
        ILogger<EntityFrameworkCookielessGraceStore<TContext>> logger)
    {
        _access = access;
        _cleanup = cleanup;
        _timeProvider = timeProvider;
        _grace = ClerkSchema.MidnightGrace(options.Value);
        _logger = logger;
    }

    /// <summary>The latest batch write (for tests: it runs from a timer).</summary>
    internal Task LastFlush { get; private set; } = Task.CompletedTask;

    /// <summary>The latest background refresh of the snapshot (for tests).</summary>
    internal Task? LastRefresh { get; private set; }

    public void RecordActive(DateOnly utcDay, string visitorId)
    {
        var day = For(utcDay);
        if (day is null || day.Own.ContainsKey(visitorId))
        {
            return;
        }

        // Counted apart: ConcurrentDictionary.Count takes every lock of the dictionary.
        if (Interlocked.Increment(ref day.Count) > MaxVisitors || !day.Own.TryAdd(visitorId, 0))
        {
            Interlocked.Decrement(ref day.Count);
            return;
        }

        day.Pending.Enqueue(visitorId);
        ScheduleFlush(day);
    }

    public async ValueTask<bool> WasActiveAsync(DateOnly utcDay, string visitorId, CancellationToken cancellationToken)
    {
        var day = For(utcDay);
        if (day is null)
        {
            return false;
        }

        if (day.Own.ContainsKey(visitorId))
        {
            return true;
        }

        Task<HashSet<string>> snapshot;
        lock (day.Gate)
        {
            var now = _timeProvider.GetUtcNow();
            if (day.Snapshot is null || day.Snapshot.IsFaulted || day.Snapshot.IsCanceled)
            {
                // The first lookup of the grace waits for the read (one per instance, shared by concurrent requests).
                day.Snapshot = LoadAsync(day.Date);
                day.SnapshotAt = now;
            }
            else if (day.Snapshot.IsCompletedSuccessfully && day.Refresh is null && now - day.SnapshotAt >= RefreshInterval)
            {
                // Records written by other instances since: read in the background, answered from the old snapshot.
                day.SnapshotAt = now;
                day.Refresh = RefreshAsync(day);
                LastRefresh = day.Refresh;
            }

            snapshot = day.Snapshot;
        }

        var ids = await snapshot.WaitAsync(cancellationToken).ConfigureAwait(false);
        return ids.Contains(visitorId);
    }

    public void Dispose() => Volatile.Read(ref _current)?.Dispose();

    private Day? For(DateOnly utcDay)
    {
        var current = Volatile.Read(ref _current);
        while (current is null || current.Date < utcDay)
        {
            var fresh = new Day(utcDay);
            var seen = Interlocked.CompareExchange(ref _current, fresh, current);
            if (!ReferenceEquals(seen, current))
            {
                current = seen;
                continue;
            }

            current?.Dispose();
            var end = new DateTimeOffset(utcDay.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)) + _grace;
            var due = end - _timeProvider.GetUtcNow();
            fresh.ForgetTimer = _timeProvider.CreateTimer(
                static state => { var (store, day) = ((EntityFrameworkCookielessGraceStore<TContext>, Day))state!; _ = store.ForgetAsync(day); },
                (this, fresh), due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            return fresh;
        }

        return current.Date == utcDay ? current : null;
    }

    private void ScheduleFlush(Day day)
    {
        if (Interlocked.CompareExchange(ref day.FlushScheduled, 1, 0) == 0)
        {
            var timer = _timeProvider.CreateTimer(
                static state => { var (store, day) = ((EntityFrameworkCookielessGraceStore<TContext>, Day))state!; store.LastFlush = store.FlushAsync(day); },
                (this, day), FlushDelay, Timeout.InfiniteTimeSpan);
            Interlocked.Exchange(ref day.FlushTimer, timer)?.Dispose();
        }
    }

    private async Task FlushAsync(Day day)
    {
        // Records made from here on schedule the next batch.
        Volatile.Write(ref day.FlushScheduled, 0);
        var batch = new List<string>();
        while (day.Pending.TryDequeue(out var id))
        {
            batch.Add(id);
        }

        if (batch.Count == 0 || day.Forgotten)
        {
            return;
        }

        try
        {
            var store = _access.Store;
            await using var lease = _access.Fresh();
            var context = lease.Context;
            var sql = _access.Sql(context);
            await using var transaction = await context.Database.BeginTransactionAsync().ConfigureAwait(false);
            foreach (var id in batch)
            {
                await context.Database.ExecuteSqlRawAsync(sql.InsertActivity, [store, day.Date, id]).ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Tried again with the next batch; until then the visitors are known to this instance only.
            ClerkEntityFrameworkLog.MidnightGraceStoreFailed(_logger, "write", exception);
            foreach (var id in batch)
            {
                day.Pending.Enqueue(id);
            }

            if (!day.Forgotten)
            {
                ScheduleFlush(day);
            }
        }
    }

    private async Task<HashSet<string>> LoadAsync(DateOnly date)
    {
        // Off the caller's synchronous path, so that the lock above is never held across the database trip.
        await Task.Yield();
        var store = _access.Store;
        await using var lease = _access.Fresh();
        var ids = await lease.Context.Set<ClerkCookielessActivity>().AsNoTracking()
            .Where(a => a.Store == store && a.Day == date)
            .Select(a => a.VisitorId)
            .Take(MaxVisitors)
            .ToListAsync().ConfigureAwait(false);
        return new HashSet<string>(ids, StringComparer.Ordinal);
    }

    private async Task RefreshAsync(Day day)
    {
        try
        {
            var ids = await LoadAsync(day.Date).ConfigureAwait(false);
            lock (day.Gate)
            {
                day.Snapshot = Task.FromResult(ids);
            }
        }
        catch (Exception exception)
        {
            ClerkEntityFrameworkLog.MidnightGraceStoreFailed(_logger, "read", exception);
        }
        finally
        {
            lock (day.Gate)
            {
                day.Refresh = null;
            }
        }
    }

    private async Task ForgetAsync(Day day)
    {
        Interlocked.CompareExchange(ref _current, null, day);
        day.Dispose();
        await _cleanup.ForgetDayAsync(day.Date).ConfigureAwait(false);
    }

    /// <summary>One UTC day's grace: the IDs this instance saw, those still to write, the snapshot of every instance's.</summary>
    private sealed class Day(DateOnly date) : IDisposable
    {
        public readonly Lock Gate = new();
        public readonly ConcurrentDictionary<string, byte> Own = new(StringComparer.Ordinal);
        public readonly ConcurrentQueue<string> Pending = new();
        public int Count;
        public int FlushScheduled;
        public ITimer? FlushTimer;
        public ITimer? ForgetTimer;
        public Task<HashSet<string>>? Snapshot;
        public DateTimeOffset SnapshotAt;
        public Task? Refresh;
        public volatile bool Forgotten;

        public DateOnly Date { get; } = date;

        public void Dispose()
        {
            Forgotten = true;
            FlushTimer?.Dispose();
            ForgetTimer?.Dispose();
            Own.Clear();
            Pending.Clear();
            lock (Gate)
            {
                Snapshot = null;
            }
        }
    }
}
