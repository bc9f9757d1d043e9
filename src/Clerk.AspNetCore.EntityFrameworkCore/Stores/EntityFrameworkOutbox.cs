using Microsoft.EntityFrameworkCore;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// The outbox in <c>clerk_outbox</c>. <see cref="AddAsync"/> writes on the current request's context, so a sale
/// tracked inside the checkout's transaction commits or rolls back with the order; everything else runs on a fresh
/// scope's context, outside any transaction of the shop's.
/// </summary>
/// <remarks>
/// Leasing: on PostgreSQL one <c>UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)</c>, so instances lease side
/// by side without waiting; on other providers one optimistic <c>UPDATE … WHERE id IN (SELECT … LIMIT n)</c> that
/// re-checks, row by row, that the row is still free, so two instances never hold the same row (one may get fewer
/// rows than it asked for). Either way the leased rows are then read back by their new lease ID.
/// </remarks>
internal sealed class EntityFrameworkOutbox<TContext>(ClerkContextAccess<TContext> access, TimeProvider timeProvider)
    : IClerkOutbox
    where TContext : DbContext, IClerkDbContext
{
    public async ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.Store);

        await using var lease = access.ForRequest();
        var context = lease.Context;
        var sql = access.Sql(context);
        // Due now, by the store's clock, so the message is ready for the next lease; or later, when it asks to wait
        // (catalog sync's debounce).
        var now = timeProvider.GetUtcNow();
        var due = ClerkSchema.ToUtc(message.DueAt > now ? message.DueAt : now);
        object[] values =
        [
            message.Id, message.Store, message.Kind, message.Endpoint, message.Body, ClerkSchema.Pending,
            ClerkSchema.ToUtc(message.CreatedAt), due, message.Attempts,
        ];
        await context.Database.ExecuteSqlRawAsync(
            message.OrderId is null ? sql.InsertOutbox : sql.InsertOutboxWithOrder,
            message.OrderId is null ? values : [.. values, message.OrderId],
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(
        string store,
        int maxCount,
        TimeSpan leaseDuration,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (maxCount <= 0)
        {
            return [];
        }

        var now = timeProvider.GetUtcNow();
        var expires = now + leaseDuration;
        Guid? leaseId = Guid.NewGuid();

        await using var lease = access.Fresh();
        var context = lease.Context;
        if (access.Sql(context) is { Provider: ClerkProvider.PostgreSql } sql)
        {
            await context.Database.ExecuteSqlRawAsync(
                sql.LeasePostgreSql,
                [leaseId.Value, ClerkSchema.ToUtc(expires), store, ClerkSchema.Pending, ClerkSchema.ToUtc(now), maxCount],
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var candidates = Free(context.ClerkOutbox, store, now)
                .Where(e => e.DueAt <= now)
                .OrderBy(e => e.DueAt).ThenBy(e => e.Id)
                .Take(maxCount)
                .Select(e => e.Id);
            // The outer conditions are checked again on each row as it is updated: a row another instance leased
            // between our read and our write is left alone.
            await Free(context.ClerkOutbox, store, now)
                .Where(e => candidates.Contains(e.Id))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(e => e.LeaseId, leaseId).SetProperty(e => e.LeaseExpiresAt, expires),
                    cancellationToken).ConfigureAwait(false);
        }

        var leased = await context.ClerkOutbox.AsNoTracking()
            .Where(e => e.LeaseId == leaseId)
            .OrderBy(e => e.DueAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return leased.ConvertAll(ToMessage);
    }

    public async ValueTask MarkSentAsync(IReadOnlyCollection<ClerkOutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        // Delivered is delivered: not conditional on the lease, since Clerk has the call whoever holds the row now.
        var ids = messages.Select(m => m.Id).ToList();
        var now = timeProvider.GetUtcNow();
        await using var lease = access.Fresh();
        await lease.Context.ClerkOutbox
            .Where(e => ids.Contains(e.Id))
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.State, ClerkOutboxEntryState.Sent)
                    .SetProperty(e => e.SentAt, now)
                    .SetProperty(e => e.LeaseId, (Guid?)null)
                    .SetProperty(e => e.LeaseExpiresAt, (DateTimeOffset?)null),
                cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RescheduleAsync(
        ClerkOutboxMessage message,
        DateTimeOffset dueAt,
        string error,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var lastError = Truncate(error);
        await using var lease = access.Fresh();
        await Held(lease.Context.ClerkOutbox, message)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.DueAt, dueAt)
                    .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                    .SetProperty(e => e.LastError, lastError)
                    .SetProperty(e => e.LeaseId, (Guid?)null)
                    .SetProperty(e => e.LeaseExpiresAt, (DateTimeOffset?)null),
                cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask MarkFailedAsync(ClerkOutboxMessage message, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var lastError = Truncate(error);
        await using var lease = access.Fresh();
        await Held(lease.Context.ClerkOutbox, message)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.State, ClerkOutboxEntryState.Failed)
                    .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                    .SetProperty(e => e.LastError, lastError)
                    .SetProperty(e => e.LeaseId, (Guid?)null)
                    .SetProperty(e => e.LeaseExpiresAt, (DateTimeOffset?)null),
                cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> RedriveFailedAsync(string store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = timeProvider.GetUtcNow();
        await using var lease = access.Fresh();
        // The last error stays, as the row's history; attempts start over.
        return await lease.Context.ClerkOutbox
            .Where(e => e.Store == store && e.State == ClerkOutboxEntryState.Failed)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.State, ClerkOutboxEntryState.Pending)
                    .SetProperty(e => e.DueAt, now)
                    .SetProperty(e => e.Attempts, 0)
                    .SetProperty(e => e.LeaseId, (Guid?)null)
                    .SetProperty(e => e.LeaseExpiresAt, (DateTimeOffset?)null),
                cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ClerkOutboxStatus> GetStatusAsync(string store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var lease = access.Fresh();
        var groups = await lease.Context.ClerkOutbox.AsNoTracking()
            .Where(e => e.Store == store && e.State != ClerkOutboxEntryState.Sent)
            .GroupBy(e => e.State)
            .Select(g => new { State = g.Key, Count = g.Count(), Oldest = g.Min(e => e.CreatedAt) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var pending = groups.Find(g => g.State == ClerkOutboxEntryState.Pending);
        var failed = groups.Find(g => g.State == ClerkOutboxEntryState.Failed);
        return new ClerkOutboxStatus(pending?.Count ?? 0, failed?.Count ?? 0, pending?.Oldest);
    }

    public async ValueTask<ClerkOutboxErasure> ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var now = timeProvider.GetUtcNow();
        await using var lease = access.Fresh();
        var rows = await MentioningAsync(lease.Context, subject, cancellationToken).ConfigureAwait(false);
        int deleted = 0, redacted = 0, inFlight = 0;
        foreach (var row in rows)
        {
            var id = row.Id;
            if (row.State == ClerkOutboxEntryState.Sent)
            {
                // Only while it is still sent: a row is never made pending again once sent, so this is just a guard.
                deleted += await lease.Context.ClerkOutbox
                    .Where(e => e.Id == id && e.State == ClerkOutboxEntryState.Sent)
                    .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Not delivered yet (pending, leased or failed): the body is redacted in place, whatever the row's state or
            // lease has become since it was read (a sender that marks it sent meanwhile leaves a redacted sent row; one
            // that reschedules it retries the redacted body). Lease, due time and attempts are left to their owner.
            var body = ClerkOutboxRedaction.Redact(row.Body);
            redacted += await lease.Context.ClerkOutbox
                .Where(e => e.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Body, body), cancellationToken).ConfigureAwait(false);
            if (row.State == ClerkOutboxEntryState.Pending && row.LeaseId is not null && row.LeaseExpiresAt >= now)
            {
                inFlight++;
            }
        }

        return new ClerkOutboxErasure(deleted, redacted, inFlight);
    }

    public async ValueTask<IReadOnlyList<ClerkOutboxMessage>> FindAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        await using var lease = access.Fresh();
        var rows = await MentioningAsync(lease.Context, subject, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(ToMessage);
    }

    /// <summary>
    /// The rows of every store whose body names the subject, the oldest first. SQL preselects by a plain piece of the
    /// value (<see cref="ClerkOutboxRedaction.SearchText"/>, lower-cased on both sides, which every provider
    /// translates); each candidate is then checked by parsing its body, so a substring alone never matches.
    /// </summary>
    private static async Task<List<ClerkOutboxEntry>> MentioningAsync(TContext context, ClerkPrivacySubject subject, CancellationToken cancellationToken)
    {
        IQueryable<ClerkOutboxEntry> rows = context.ClerkOutbox.AsNoTracking();
        if (ClerkOutboxRedaction.SearchText(subject) is { } piece)
        {
            rows = rows.Where(e => e.Body.ToLower().Contains(piece));
        }

        var candidates = await rows.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return candidates.FindAll(e => ClerkOutboxRedaction.Mentions(e.Body, subject));
    }

    /// <summary>A store's pending rows that nobody holds: never leased, or their lease has run out.</summary>
    private static IQueryable<ClerkOutboxEntry> Free(IQueryable<ClerkOutboxEntry> rows, string store, DateTimeOffset now) =>
        rows.Where(e => e.Store == store
            && e.State == ClerkOutboxEntryState.Pending
            && (e.LeaseExpiresAt == null || e.LeaseExpiresAt < now));

    /// <summary>The message's row while the caller's lease is still its lease.</summary>
    private static IQueryable<ClerkOutboxEntry> Held(IQueryable<ClerkOutboxEntry> rows, ClerkOutboxMessage message)
    {
        Guid? leaseId = message.LeaseId;
        var id = message.Id;
        return rows.Where(e => e.Id == id && e.LeaseId == leaseId && e.State == ClerkOutboxEntryState.Pending);
    }

    private static string Truncate(string? error) =>
        error is null ? "" : error.Length <= ClerkSchema.ErrorMaxLength ? error : error[..ClerkSchema.ErrorMaxLength];

    private static ClerkOutboxMessage ToMessage(ClerkOutboxEntry entry) => new()
    {
        Id = entry.Id,
        Store = entry.Store,
        Kind = entry.Kind,
        Endpoint = entry.Endpoint,
        Body = entry.Body,
        OrderId = entry.OrderId,
        CreatedAt = entry.CreatedAt,
        DueAt = entry.DueAt,
        Attempts = entry.Attempts,
        LastError = entry.LastError,
        LeaseId = entry.LeaseId ?? Guid.Empty,
        State = entry.State switch
        {
            ClerkOutboxEntryState.Sent => ClerkOutboxMessageState.Sent,
            ClerkOutboxEntryState.Failed => ClerkOutboxMessageState.Failed,
            _ => ClerkOutboxMessageState.Pending,
        },
    };
}
