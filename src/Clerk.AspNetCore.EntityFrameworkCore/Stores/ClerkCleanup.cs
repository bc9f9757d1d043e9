using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// Deletes what Clerk's tables no longer need, for this app's store only: sent outbox rows past
/// <see cref="ClerkEntityFrameworkOptions.SentRetention"/>, sale claims past <see cref="ClerkSaleLedgerOptions.Retention"/>,
/// and salts of days before yesterday. Failed outbox rows are never deleted: they wait to be re-driven.
/// </summary>
internal sealed class ClerkCleanup<TContext>(
    ClerkContextAccess<TContext> access,
    IOptions<ClerkEntityFrameworkOptions> options,
    IOptions<ClerkOptions> clerkOptions,
    TimeProvider timeProvider,
    ILogger<ClerkCleanup<TContext>> logger)
    where TContext : DbContext, IClerkDbContext
{
    /// <summary>One round. Each table is cleaned on its own, so one failing table does not keep the others full.</summary>
    /// <returns>Whether every table was cleaned.</returns>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var store = access.Store;
        var sentBefore = now - options.Value.SentRetention;
        var claimedBefore = now - clerkOptions.Value.SaleLedger.Retention;
        var oldestKeptDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);

        var sent = await CleanAsync(ClerkSchema.OutboxTable, context => context.ClerkOutbox
            .Where(e => e.Store == store && e.State == ClerkOutboxEntryState.Sent && e.SentAt < sentBefore)
            .ExecuteDeleteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var claims = await CleanAsync(ClerkSchema.ClaimsTable, context => context.ClerkSaleClaims
            .Where(c => c.Store == store && c.ClaimedAt < claimedBefore)
            .ExecuteDeleteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var salts = await CleanAsync(ClerkSchema.SaltsTable, context => context.ClerkCookielessSalts
            .Where(s => s.Store == store && s.Day < oldestKeptDay)
            .ExecuteDeleteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);

        ClerkEntityFrameworkLog.CleanedUp(logger, sent ?? 0, claims ?? 0, salts ?? 0);
        return sent is not null && claims is not null && salts is not null;
    }

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
