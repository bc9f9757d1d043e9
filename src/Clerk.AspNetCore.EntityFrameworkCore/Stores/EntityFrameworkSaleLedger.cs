using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// The sale ledger in <c>clerk_sale_claims</c>: a claim is a row under the primary key (store, order_id), inserted
/// only if absent, so of any number of concurrent claims on any number of instances exactly one writes the row.
/// Claims and releases are written on the current request's context, so inside the checkout's transaction they commit
/// or roll back with the order; old claims are deleted by the cleanup after
/// <see cref="ClerkSaleLedgerOptions.Retention"/>.
/// </summary>
internal sealed class EntityFrameworkSaleLedger<TContext>(ClerkContextAccess<TContext> access, TimeProvider timeProvider)
    : IClerkSaleLedger
    where TContext : DbContext, IClerkDbContext
{
    public async ValueTask<bool> TryClaimAsync(string store, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(orderId.Length, ClerkSchema.OrderIdMaxLength, nameof(orderId));

        await using var lease = access.ForRequest();
        var context = lease.Context;
        var sql = access.Sql(context);
        try
        {
            var written = await context.Database.ExecuteSqlRawAsync(
                sql.InsertClaim,
                [store, orderId, ClerkSchema.ToUtc(timeProvider.GetUtcNow())],
                cancellationToken).ConfigureAwait(false);
            return written == 1;
        }
        catch (DbException) when (sql.Provider is ClerkProvider.Other && !cancellationToken.IsCancellationRequested)
        {
            // Providers without an atomic insert-if-absent can lose the race between NOT EXISTS and INSERT to another
            // instance: the primary key refuses the second row. The order is then claimed, just not by us.
            var claimed = await context.ClerkSaleClaims.AsNoTracking()
                .AnyAsync(c => c.Store == store && c.OrderId == orderId, cancellationToken).ConfigureAwait(false);
            if (claimed)
            {
                return false;
            }

            throw;
        }
    }

    public async ValueTask ReleaseAsync(string store, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);

        await using var lease = access.ForRequest();
        var context = lease.Context;
        await context.Database.ExecuteSqlRawAsync(
            access.Sql(context).DeleteClaim,
            [store, orderId],
            cancellationToken).ConfigureAwait(false);
    }
}
