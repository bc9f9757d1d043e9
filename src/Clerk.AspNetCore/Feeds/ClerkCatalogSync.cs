using System.Diagnostics;
using Clerk.AspNetCore.Api;
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
/// are sent together; <see cref="CatalogSyncSender"/> sends them. Like the tracker it never throws into the caller
/// outside Development for a failing outbox (logged, counted); wrong arguments throw everywhere.
/// </summary>
internal sealed class ClerkCatalogSync(
    IClerkOutbox outbox,
    OutboxSignal signal,
    OutboxOrigins origins,
    IServiceProviderIsService services,
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

    public ValueTask ProductsChangedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default) =>
        QueueAsync(products, ClerkEndpoints.ProductAdd, cancellationToken);

    public ValueTask ProductsRemovedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default) =>
        QueueAsync(products, ClerkEndpoints.ProductRemove, cancellationToken);

    private async ValueTask QueueAsync(IReadOnlyCollection<ClerkProductId> products, string endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(products);
        var ids = Check(products);
        var current = options.Value;
        if (ids.Count == 0 || !current.Enabled || current.PublicKey is not { Length: > 0 } store)
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

        if (string.IsNullOrEmpty(current.PrivateKey))
        {
            logger.CatalogSyncNoPrivateKey();
            metrics.DeliveryFailed(Kind, "Invalid");
            if (_development)
            {
                throw new InvalidOperationException(
                    "Clerk's catalog sync needs the store's private API key for product/add and product/remove. Set Clerk:PrivateKey " +
                    "(my.clerk.io › Developers › API Keys) in user secrets or the environment, not in appsettings.json.");
            }

            return;
        }

        var feeds = current.Feeds;
        var delay = feeds.SyncDelay > TimeSpan.Zero ? feeds.SyncDelay : TimeSpan.Zero;
        var now = time.GetUtcNow();
        var due = now + delay;
        var sequence = Interlocked.Increment(ref s_sequence);
        var origin = Activity.Current?.Context ?? default;
        var queued = 0;

        // One message per SyncBatchSize products, so that no stored body and no lookup grows without bound.
        foreach (var chunk in ids.Chunk(Math.Max(1, feeds.SyncBatchSize)))
        {
            var message = new ClerkOutboxMessage
            {
                Id = Guid.NewGuid(),
                Store = store,
                Kind = Kind,
                Endpoint = endpoint,
                Body = CatalogChange.Write(new CatalogChange { Products = chunk, Sequence = sequence }),
                CreatedAt = now,
                DueAt = due,
            };

            if (!await AddAsync(message, chunk.Length, change, cancellationToken).ConfigureAwait(false))
            {
                if (queued > 0)
                {
                    // The chunks written before this one are due as debounced.
                    signal.NotifyAt(due, now + (MaxDelays * delay));
                }

                cancellationToken.ThrowIfCancellationRequested();
                return;
            }

            origins.Remember(message.Id, origin);
            metrics.Enqueued(Kind);
            queued += chunk.Length;
        }

        logger.CatalogSyncQueued(queued, change, endpoint, (long)delay.TotalMilliseconds);
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
