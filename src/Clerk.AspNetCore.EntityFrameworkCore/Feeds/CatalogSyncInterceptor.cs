using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>The entity types whose changes in <typeparamref name="TContext"/> are product changes, and the product each names.</summary>
internal sealed class CatalogSyncRegistrations<TContext>
    where TContext : DbContext
{
    private readonly List<(Type Entity, Func<object, ClerkProductId> Product)> _entities = [];

    public IReadOnlyList<(Type Entity, Func<object, ClerkProductId> Product)> Entities => _entities;

    public void Add(Type entity, Func<object, ClerkProductId> product) => _entities.Add((entity, product));
}

/// <summary>
/// Tells real-time sync (<see cref="IClerkCatalogSync.ProductsChangedAsync"/>) about the products whose mapped
/// entities a <c>SaveChanges</c> of <typeparamref name="TContext"/> added, changed or deleted. The entities are noted
/// before the save, and the products queued after it succeeded (database-generated keys are known by then), on the
/// same context: with the Entity Framework Core outbox over this context, the sync message joins the transaction the
/// caller has open, so it commits or rolls back with the change. Deleted products, and products the feed's query no
/// longer returns, are removed from Clerk when the change is sent. One instance serves every context (pooled ones
/// too): what a context noted is kept with the context until its save ends.
/// </summary>
internal sealed class CatalogSyncInterceptor<TContext>(
    CatalogSyncRegistrations<TContext> registrations,
    IClerkCatalogSync sync,
    ClerkFeedSyncEnvironment environment,
    ILogger<CatalogSyncInterceptor<TContext>> logger) : SaveChangesInterceptor
    where TContext : DbContext
{
    private readonly ConditionalWeakTable<DbContext, List<(Func<object, ClerkProductId> Product, object Entity)>> _noted = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        // A synchronous SaveChanges: queued synchronously too (the outbox's own write is asynchronous).
        QueueAsync(eventData.Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await QueueAsync(eventData.Context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is not TContext)
        {
            return;
        }

        List<(Func<object, ClerkProductId>, object)>? noted = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            foreach (var (entity, product) in registrations.Entities)
            {
                if (entity.IsInstanceOfType(entry.Entity))
                {
                    (noted ??= []).Add((product, entry.Entity));
                }
            }
        }

        // A save with no product change leaves nothing behind; one with changes replaces what an earlier save noted.
        if (noted is null)
        {
            _noted.Remove(context);
        }
        else
        {
            _noted.AddOrUpdate(context, noted);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _noted.Remove(context);
        }
    }

    private async ValueTask QueueAsync(DbContext? context, CancellationToken cancellationToken)
    {
        if (context is null || !_noted.TryGetValue(context, out var noted))
        {
            return;
        }

        _noted.Remove(context);
        try
        {
            var products = new HashSet<ClerkProductId>();
            foreach (var (product, entity) in noted)
            {
                products.Add(product(entity));
            }

            // The outbox writes on this context, in whatever transaction the caller has open on it.
            using (ClerkAmbientContext.Use(context))
            {
                // Without a transaction of the caller's the change is committed already: a cancellation now would make
                // a saved change look failed (and a job repeat it), so the short outbox write is not cancelled.
                var token = context.Database.CurrentTransaction is null ? CancellationToken.None : cancellationToken;
                await sync.ProductsChangedAsync(products, token).ConfigureAwait(false);
            }

            ClerkEntityFrameworkLog.SyncOnSaveQueued(logger, context.GetType().Name, products.Count);
        }
        catch (Exception exception) when (!environment.IsDevelopment && exception is not OperationCanceledException)
        {
            // The change is saved: a sync that cannot be queued must not make the shop's save look failed.
            ClerkEntityFrameworkLog.SyncOnSaveFailed(logger, context.GetType().Name, exception);
        }
    }
}

/// <summary>
/// The context an outbox write joins instead of the request's: set by <see cref="CatalogSyncInterceptor{TContext}"/>
/// around the sync call it makes after a save, so the message is written on the context that saved the change.
/// </summary>
internal static class ClerkAmbientContext
{
    private static readonly AsyncLocal<DbContext?> CurrentContext = new();

    public static DbContext? Current => CurrentContext.Value;

    public static Scope Use(DbContext context)
    {
        var previous = CurrentContext.Value;
        CurrentContext.Value = context;
        return new Scope(previous);
    }

    public readonly struct Scope(DbContext? previous) : IDisposable
    {
        public void Dispose() => CurrentContext.Value = previous;
    }
}

/// <summary>Whether the app runs in Development, where the feed adapter and the interceptor throw what they log elsewhere.</summary>
internal sealed class ClerkFeedSyncEnvironment(bool isDevelopment)
{
    public bool IsDevelopment { get; } = isDevelopment;
}
