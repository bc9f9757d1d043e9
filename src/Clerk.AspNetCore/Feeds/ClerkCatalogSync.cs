using System.Collections.Concurrent;
using System.Diagnostics;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// <see cref="IClerkCatalogSync"/>: writes each change to the <see cref="IClerkOutbox"/> (in the caller's transaction
/// with the EF Core outbox) as product IDs, due <see cref="ClerkFeedOptions.SyncDelay"/> later, so that quick changes
/// are sent together; <see cref="CatalogSyncSender"/> sends them. A change goes to every configured store that has a
/// private key (or to the stores the caller names): one message per store, keyed by the store's public key, since each
/// store has its own catalog in Clerk and the sender reads each store's products with that store's request. Like the
/// tracker it never throws into the caller outside Development for a failing outbox (logged, counted); wrong
/// arguments throw everywhere.
/// </summary>
internal sealed class ClerkCatalogSync(
    IClerkOutbox outbox,
    OutboxSignal signal,
    OutboxOrigins origins,
    IServiceProviderIsService services,
    ClerkStoreSet stores,
    ClerkMetrics metrics,
    TimeProvider time,
    IHostEnvironment environment,
    IOptions<ClerkOptions> options,
    ILogger<ClerkCatalogSync> logger) : IClerkCatalogSync
{
    /// <summary>The outbox kind of catalog changes, and their <c>clerk.event</c> in logs and metrics.</summary>
    public const string Kind = "product";

    /// <summary>
    /// A burst of changes is sent when it has been quiet for <see cref="ClerkFeedOptions.SyncDelay"/>, but no later than
    /// this many delays after its first change, so that a product changing all the time still reaches Clerk.
    /// </summary>
    public const int MaxDelays = 5;

    private static long s_sequence;

    private readonly bool _development = environment.IsDevelopment();

    // The stores already reported as skipped for want of a private key (event 96, once per store).
    private readonly ConcurrentDictionary<string, bool> _skippedReported = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask ProductsChangedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default) =>
        QueueAsync(products, ClerkEndpoints.ProductAdd, null, cancellationToken);

    public ValueTask ProductsChangedInStoresAsync(IEnumerable<string> stores, IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default) =>
        QueueAsync(products, ClerkEndpoints.ProductAdd, Named(stores), cancellationToken);

    public ValueTask ProductsRemovedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default) =>
        QueueAsync(products, ClerkEndpoints.ProductRemove, null, cancellationToken);

    public ValueTask ProductsRemovedFromStoresAsync(IEnumerable<string> stores, IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default) =>
        QueueAsync(products, ClerkEndpoints.ProductRemove, Named(stores), cancellationToken);

    /// <summary>The stores of these names; a name that is not configured is the caller's mistake, and throws.</summary>
    private List<ClerkStore> Named(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var named = new List<ClerkStore>();
        foreach (var name in names)
        {
            if (stores.All.Count == 0)
            {
                break;   // Clerk is turned off: nothing is queued, whatever the names.
            }

            var store = stores.Find(name) ?? throw new ArgumentException(
                $"There is no Clerk store named '{name}'. The configured stores are: {string.Join(", ", stores.All.Select(s => s.Name))} (Clerk:Stores).",
                nameof(stores));
            if (!named.Contains(store))
            {
                named.Add(store);
            }
        }

        return named;
    }

    private async ValueTask QueueAsync(IReadOnlyCollection<ClerkProductId> products, string endpoint, List<ClerkStore>? named, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(products);
        var ids = Check(products);
        var current = options.Value;
        var targets = named ?? stores.All;
        if (ids.Count == 0 || !current.Enabled || targets.Count == 0)
        {
            return;
        }

        var change = endpoint == ClerkEndpoints.ProductAdd ? "changed" : "removed";
        if (endpoint == ClerkEndpoints.ProductAdd && !services.IsService(typeof(IClerkProductSource)))
        {
            // Sent without a source, every product would look deleted and be removed from Clerk.
            logger.CatalogSyncNoSource();
            metrics.DeliveryFailed(Kind, "Invalid");
            if (_development)
            {
                throw new InvalidOperationException(
                    "IClerkCatalogSync.ProductsChangedAsync needs a product source to read the products' current state from: register one with " +
                    "services.AddClerkFeeds().AddProducts<TSource>() (or the EF Core adapter's AddProducts(query, key, map)). ProductsRemovedAsync needs none.");
            }

            return;
        }

        // Only stores with a private key: Clerk refuses product/add and product/remove without it.
        var sending = new List<ClerkStore>(targets.Count);
        foreach (var store in targets)
        {
            if (store.HasPrivateKey)
            {
                sending.Add(store);
            }
            else if (targets.Count > 1 && _skippedReported.TryAdd(store.Name, true))
            {
                logger.CatalogSyncStoreSkipped(store.Name);
            }
        }

        if (sending.Count == 0)
        {
            var fix = stores.IsShortForm
                ? "Set Clerk:PrivateKey (my.clerk.io › Developers › API Keys) in user secrets or the environment, not in appsettings.json."
                : $"No store it was to go to ({string.Join(", ", targets.Select(s => s.Name))}) has one: set Clerk:Stores:<store>:PrivateKey (my.clerk.io › Developers › API Keys) in user secrets or the environment, not in appsettings.json.";
            logger.CatalogSyncNoPrivateKey(fix);
            metrics.DeliveryFailed(Kind, "Invalid");
            if (_development)
            {
                throw new InvalidOperationException($"Clerk's catalog sync needs the store's private API key for product/add and product/remove. {fix}");
            }

            return;
        }

        var feeds = current.Feeds;
        var delay = feeds.SyncDelay > TimeSpan.Zero ? feeds.SyncDelay : TimeSpan.Zero;
        var now = time.GetUtcNow();
        var due = now + delay;
        var sequence = Interlocked.Increment(ref s_sequence);
        var origin = Activity.Current?.Context ?? default;
        var queuedAny = false;

        foreach (var store in sending)
        {
            var queued = 0;

            // One message per SyncBatchSize products, so that no stored body and no lookup grows without bound.
            foreach (var chunk in ids.Chunk(Math.Max(1, feeds.SyncBatchSize)))
            {
                var message = new ClerkOutboxMessage
                {
                    Id = Guid.NewGuid(),
                    Store = store.PublicKey,
                    Kind = Kind,
                    Endpoint = endpoint,
                    Body = CatalogChange.Write(new CatalogChange { Products = chunk, Sequence = sequence }),
                    CreatedAt = now,
                    DueAt = due,
                };

                if (!await AddAsync(message, chunk.Length, change, cancellationToken).ConfigureAwait(false))
                {
                    if (queuedAny || queued > 0)
                    {
                        // The chunks written before this one are due as debounced.
                        signal.NotifyAt(due, now + (MaxDelays * delay));
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    return;
                }

                origins.Remember(message.Id, origin);
                metrics.Enqueued(Kind, store.Name);
                queued += chunk.Length;
            }

            queuedAny = true;
            logger.CatalogSyncQueued(queued, change, store.Name, endpoint, (long)delay.TotalMilliseconds);
        }

        signal.NotifyAt(due, now + (MaxDelays * delay));
    }

    /// <summary>Writes one message; <see langword="false"/> (logged and counted) when it could not, or throws in Development.</summary>
    private async ValueTask<bool> AddAsync(ClerkOutboxMessage message, int count, string change, CancellationToken cancellationToken)
    {
        try
        {
            await outbox.AddAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OutboxRefusedException refused)
        {
            logger.CatalogSyncNotQueued(count, change, outbox.GetType().Name, refused.Reason, null);
            metrics.DeliveryFailed(Kind, "NotQueued");
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.CatalogSyncNotQueued(count, change, outbox.GetType().Name, "the caller stopped waiting for the outbox.", null);
            metrics.DeliveryFailed(Kind, "NotQueued");
            return false;
        }
        catch (Exception exception)
        {
            logger.CatalogSyncNotQueued(count, change, outbox.GetType().Name, "the outbox failed.", exception);
            metrics.TrackingFailed(OutboxWorker.Stage);
            metrics.DeliveryFailed(Kind, "NotQueued");
            if (_development)
            {
                throw;
            }

            return false;
        }
    }

    /// <summary>The IDs once each; an empty ID, or IDs of both JSON types, is a mistake of the caller's.</summary>
    private static List<ClerkProductId> Check(IReadOnlyCollection<ClerkProductId> products)
    {
        var ids = new List<ClerkProductId>(products.Count);
        var seen = new HashSet<ClerkProductId>();
        foreach (var id in products)
        {
            if (!id.HasValue)
            {
                throw new ArgumentException(
                    "A product ID to sync is empty (default(ClerkProductId)). Pass the parent product's catalog ID, the one the product feed sends to Clerk.",
                    nameof(products));
            }

            if (ids.Count > 0 && id.IsNumber != ids[0].IsNumber)
            {
                throw new ArgumentException(
                    $"The product IDs to sync mix integers and strings ({ids[0]} and {id}). Clerk compares IDs with their JSON type: use the type the product feed uses for every product.",
                    nameof(products));
            }

            if (seen.Add(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }
}
