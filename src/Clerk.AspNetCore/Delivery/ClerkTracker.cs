using System.Diagnostics;
using System.Text;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// <see cref="IClerkTracker"/>: builds and checks the call now (so the visitor is the one of the request that tracked
/// it), then hands it on: a sale or a return to the <see cref="IClerkOutbox"/> (for <see cref="OutboxWorker"/>, never
/// waiting for room), a click, view or e-mail to the <see cref="DeliveryQueue"/> (for <see cref="DeliveryWorker"/>).
/// </summary>
internal sealed class ClerkTracker(
    ClerkCalls calls,
    DeliveryQueue queue,
    IClerkOutbox outbox,
    OutboxSignal signal,
    OutboxOrigins origins,
    IClerkSaleLedger ledger,
    ClerkMetrics metrics,
    TimeProvider time,
    IHostEnvironment environment,
    IOptions<ClerkOptions> options,
    ILogger<ClerkTracker> logger,
    ProductIdTypes idTypes) : IClerkTracker
{
    private readonly bool _development = environment.IsDevelopment();

    public void TrackClick(ClerkProductId product, IReadOnlyList<string> labels, string? api = null, int? position = null, ClerkVisitor visitor = default)
    {
        // The product feed's ID type against this one: one comparison when they agree (issue 17).
        idTypes.Seen(product, ProductIdSource.Click);
        Track(TrackedEvent.Click, () => calls.Click(product, labels, api, position, visitor));
    }

    public void TrackProductView(ClerkProductId product, ClerkVisitor visitor = default)
    {
        idTypes.Seen(product, ProductIdSource.ProductView);
        Track(TrackedEvent.ProductView, () => calls.ProductView(product, visitor));
    }

    public void TrackCategoryView(string category, ClerkVisitor visitor = default) =>
        Track(TrackedEvent.CategoryView, () => calls.CategoryView(category, visitor));

    public void TrackEmail(string email, ClerkVisitor visitor = default)
    {
        // Nothing to link for a visitor who declined (no ID) or when the shop does not collect e-mails.
        var who = calls.Resolve(visitor);
        if (!options.Value.CollectEmails || who.Declined || who.Id is null)
        {
            return;
        }

        Track(TrackedEvent.Email, () => calls.Email(email, visitor));
    }

    public async ValueTask<ClerkSaleTrackingResult> TrackSaleAsync(ClerkSale sale, CancellationToken cancellationToken = default)
    {
        var current = options.Value;
        if (!current.Enabled)
        {
            return ClerkSaleTrackingResult.Disabled;
        }

        if (Build(TrackedEvent.Sale, () => calls.Sale(sale)) is not { } call)
        {
            return ClerkSaleTrackingResult.Invalid;
        }

        // A valid sale's lines share one ID type, so its first line speaks for them all.
        idTypes.Seen(sale.Lines[0].ParentProductId, ProductIdSource.Sale);

        if (current.EffectiveSaleTracking == ClerkSaleTracking.ClientSide)
        {
            logger.SaleLeftToPage(sale.OrderId);
            return ClerkSaleTrackingResult.LeftToPage;
        }

        // The request's store (or this tracker's, when it is keyed), once: the claim, the message and a release all
        // belong to it.
        var storeOfSale = calls.CurrentStore!;
        var store = storeOfSale.PublicKey;
        if (!await ClaimAsync(store, sale.OrderId, cancellationToken).ConfigureAwait(false))
        {
            logger.SaleAlreadySent(sale.OrderId);
            metrics.SaleSuppressed(storeOfSale.Name);
            return ClerkSaleTrackingResult.AlreadySent;
        }

        // Not written (refused, failed, or thrown in Development): the order goes back to the ledger, in one place.
        var added = false;
        try
        {
            added = await AddAsync(TrackedEvent.Sale, storeOfSale, call, sale.OrderId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!added)
            {
                await OrderRelease.ReleaseAsync(ledger, logger, metrics, store, sale.OrderId).ConfigureAwait(false);
            }
        }

        if (!added)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ClerkSaleTrackingResult.NotQueued;
        }

        return ClerkSaleTrackingResult.Queued;
    }

    public async ValueTask TrackReturnAsync(ClerkProductId product, string orderId, int quantity, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled || Build(TrackedEvent.Return, () => calls.Return(product, orderId, quantity)) is not { } call)
        {
            return;
        }

        idTypes.Seen(product, ProductIdSource.Return);

        if (!await AddAsync(TrackedEvent.Return, calls.CurrentStore!, call, orderId, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Writes a sale or a return to the outbox and wakes the worker. If it cannot be written (the outbox is full or
    /// the app is stopping, its database is down, the caller gave up), its payload is logged, so it is never lost
    /// without a trace; a failing outbox throws in Development, where the developer should see it.
    /// </summary>
    private async ValueTask<bool> AddAsync(TrackedEvent kind, ClerkStore store, ClerkCall call, string orderId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var message = new ClerkOutboxMessage
        {
            Id = Guid.NewGuid(),
            Store = store.PublicKey,
            Kind = kind.Name(),
            Endpoint = call.Endpoint,
            Body = Encoding.UTF8.GetString(call.Body),
            OrderId = orderId,
            CreatedAt = now,
            DueAt = now,
        };

        try
        {
            await outbox.AddAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (OutboxRefusedException refused)
        {
            NotQueued(message, store.Name, refused.Reason);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            NotQueued(message, store.Name, "the caller stopped waiting for the outbox.");
            return false;
        }
        catch (Exception exception)
        {
            logger.OutboxWriteFailed(message.Kind, orderId, outbox.GetType().Name, exception);
            logger.UndeliveredPayloadOf(message);
            metrics.TrackingFailed(OutboxWorker.Stage);
            metrics.DeliveryFailed(message.Kind, "NotQueued", store.Name);
            if (_development)
            {
                throw;
            }

            return false;
        }

        origins.Remember(message.Id, Origin());
        metrics.Enqueued(message.Kind, store.Name);
        signal.Notify();
        return true;
    }

    private void NotQueued(ClerkOutboxMessage message, string store, string reason)
    {
        logger.SaleGivenUp(message.Kind, message.OrderId, DeliveryPayload.LineCount(message.Body), 0, TimeSpan.Zero, reason);
        logger.UndeliveredPayloadOf(message);
        metrics.DeliveryFailed(message.Kind, "NotQueued", store);
    }

    private void Track(TrackedEvent kind, Func<ClerkCall> build)
    {
        if (!options.Value.Enabled || Build(kind, build) is not { } call)
        {
            return;
        }

        var store = calls.CurrentStore?.Name;
        var item = new DeliveryEvent(kind, call, time.GetTimestamp(), Origin(), store);
        if (!queue.TryEnqueue(item))
        {
            logger.EventDropped(kind.Name(), "the delivery queue is full (Clerk:Delivery:QueueCapacity); Clerk is slow or unreachable.");
            metrics.Dropped(kind.Name(), "queue_full", store);
            return;
        }

        metrics.Enqueued(kind.Name(), store);
        logger.EventQueued(kind.Name(), queue.Count);
    }

    /// <summary>The checked call; a mistake throws in Development and is logged and counted elsewhere.</summary>
    private ClerkCall? Build(TrackedEvent kind, Func<ClerkCall> build)
    {
        try
        {
            return build();
        }
        catch (Exception exception) when (!_development && exception is ArgumentException or InvalidOperationException)
        {
            logger.TrackingRejected(kind.Name(), exception.Message);
            metrics.DeliveryFailed(kind.Name(), "Invalid", calls.CurrentStore?.Name);
            return null;
        }
    }

    private async ValueTask<bool> ClaimAsync(string store, string orderId, CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.TryClaimAsync(store, orderId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A shared ledger that is down: a sale sent twice is better than a sale lost.
            SaleLedgerFailures.ClaimFailed(logger, metrics, orderId, exception);
            return true;
        }
    }

    // The request's span (or whatever span tracked the event), for the delivery span to link to.
    private static ActivityContext Origin() => Activity.Current?.Context ?? default;
}
