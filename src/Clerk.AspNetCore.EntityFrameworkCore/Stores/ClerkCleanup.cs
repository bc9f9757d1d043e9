using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// Deletes what Clerk's tables no longer need, for this app's stores only (every configured one; rows of other stores
/// are another app's, or wait for a store to come back): sent outbox rows past
/// <see cref="ClerkEntityFrameworkOptions.SentRetention"/>, sale claims past <see cref="ClerkSaleLedgerOptions.Retention"/>,
/// and the salts and active visitors of days whose midnight grace is over (<see cref="ClerkCookielessOptions"/>).
/// Failed outbox rows are never deleted: they wait to be re-driven.
/// </summary>
internal sealed class ClerkCleanup<TContext>(
    ClerkContextAccess<TContext> access,
    IOptions<ClerkEntityFrameworkOptions> options,
    IOptions<ClerkOptions> clerkOptions,
    TimeProvider timeProvider,
    ILogger<ClerkCleanup<TContext>> logger)
    where TContext : DbContext, IClerkDbContext
{
    // The latest day whose salt and active visitors this instance has deleted at the end of its grace.
    private long _forgottenThrough = long.MinValue;

    /// <summary>
    /// Deletes the salt and the active visitors of <paramref name="day"/> (and any older), right when the midnight grace
    /// after it ends, so that the day's visitor IDs can no longer be recomputed from the database. Run by the stores
    /// of every instance that used the day's grace; once per day and instance; failures wait for the next round.
    /// </summary>
    public Task ForgetDayAsync(DateOnly day)
    {
        var dayNumber = (long)day.DayNumber;
        var seen = Volatile.Read(ref _forgottenThrough);
        while (seen < dayNumber)
        {
            var previous = Interlocked.CompareExchange(ref _forgottenThrough, dayNumber, seen);
            if (previous == seen)
            {
                var deleting = DeleteDayAsync(day);
                Forgetting = deleting;
                return deleting;
            }

            seen = previous;
        }

        return Task.CompletedTask;
    }

    /// <summary>The latest <see cref="ForgetDayAsync"/> deletion (for tests: it runs from a timer).</summary>
    internal Task Forgetting { get; private set; } = Task.CompletedTask;

    private async Task DeleteDayAsync(DateOnly day)
    {
        var (salts, active) = await ForgetDaysBeforeAsync(day.AddDays(1), CancellationToken.None).ConfigureAwait(false);
        ClerkEntityFrameworkLog.DayForgotten(logger, day, salts ?? 0, active ?? 0);
    }

    /// <summary>Deletes the salts and active visitors of the days before <paramref name="firstKeptDay"/>; null for a table that failed.</summary>
    private async Task<(int? Salts, int? Active)> ForgetDaysBeforeAsync(DateOnly firstKeptDay, CancellationToken cancellationToken)
    {
        // The salts and active visitors are the app's (kept under one store's key, ClerkContextAccess.Store); those of
        // its other stores too, in case the default store changed.
        var stores = StoresAndApp();
        var salts = await CleanAsync(ClerkSchema.SaltsTable, context => context.ClerkCookielessSalts
            .Where(s => stores.Contains(s.Store) && s.Day < firstKeptDay)
            .ExecuteDeleteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var active = await CleanAsync(ClerkSchema.ActivityTable, context => context.Set<ClerkCookielessActivity>()
            .Where(a => stores.Contains(a.Store) && a.Day < firstKeptDay)
            .ExecuteDeleteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        return (salts, active);
    }

    /// <summary>One round. Each table is cleaned on its own, so one failing table does not keep the others full.</summary>
    /// <returns>Whether every table was cleaned.</returns>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var stores = StoresAndApp();
        var sentBefore = now - options.Value.SentRetention;
        var claimedBefore = now - clerkOptions.Value.SaleLedger.Retention;
        // A day's salt and active visitors are needed until the grace after it ends: kept while "now minus the grace"
        // is still that day.
        var oldestKeptDay = DateOnly.FromDateTime((now - ClerkSchema.MidnightGrace(clerkOptions.Value)).UtcDateTime);

        var sent = await CleanAsync(ClerkSchema.OutboxTable, context => context.ClerkOutbox
            .Where(e => stores.Contains(e.Store) && e.State == ClerkOutboxEntryState.Sent && e.SentAt < sentBefore)
            .ExecuteDeleteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var claims = await CleanAsync(ClerkSchema.ClaimsTable, context => context.ClerkSaleClaims
            .Where(c => stores.Contains(c.Store) && c.ClaimedAt < claimedBefore)
            .ExecuteDeleteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var (salts, active) = await ForgetDaysBeforeAsync(oldestKeptDay, cancellationToken).ConfigureAwait(false);

        ClerkEntityFrameworkLog.CleanedUp(logger, sent ?? 0, claims ?? 0, salts ?? 0);
        return sent is not null && claims is not null && salts is not null && active is not null;
    }

    /// <summary>Every configured store's public key, and the app's (the same one but when no store is configured).</summary>
    private string[] StoresAndApp() => [.. access.Stores.Append(access.Store).Distinct(StringComparer.Ordinal)];

    private async Task<int?> CleanAsync(string table, Func<TContext, Task<int>> delete, CancellationToken cancellationToken)
    {
        try
        {
            await using var lease = access.Fresh();
            return await delete(lease.Context).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            ClerkEntityFrameworkLog.CleanupFailed(logger, table, options.Value.CleanupInterval, exception);
            return null;
        }
    }
}

/// <summary>Runs <see cref="ClerkCleanup{TContext}"/> on every instance every
/// <see cref="ClerkEntityFrameworkOptions.CleanupInterval"/>, first one interval after start.</summary>
internal sealed class ClerkCleanupService<TContext>(
    ClerkCleanup<TContext> cleanup,
    IOptions<ClerkEntityFrameworkOptions> options,
    TimeProvider timeProvider) : BackgroundService
    where TContext : DbContext, IClerkDbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not at start: the shop may still be creating or migrating its database, and deletes are never urgent.
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                // Failures are logged per table inside; the next round tries again.
                await cleanup.RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
