using System.Diagnostics;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// <see cref="IClerkTracker"/>: builds and checks the call now (so the visitor is the one of the request that tracked
/// it), then queues it for <see cref="DeliveryWorker"/>.
/// </summary>
internal sealed class ClerkTracker(
    ClerkCalls calls,
    DeliveryQueue queue,
    IClerkSaleLedger ledger,
    ClerkMetrics metrics,
    TimeProvider time,
    IHostEnvironment environment,
    IOptions<ClerkOptions> options,
    ILogger<ClerkTracker> logger) : IClerkTracker
{
    private readonly bool _development = environment.IsDevelopment();

    public void TrackClick(ClerkProductId product, IReadOnlyList<string> labels, string? api = null, int? position = null, ClerkVisitor visitor = default) =>
        Track(TrackedEvent.Click, () => calls.Click(product, labels, api, position, visitor));

    public void TrackProductView(ClerkProductId product, ClerkVisitor visitor = default) =>
        Track(TrackedEvent.ProductView, () => calls.ProductView(product, visitor));

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

        if (current.EffectiveSaleTracking == ClerkSaleTracking.ClientSide)
        {
            logger.SaleLeftToPage(sale.OrderId);
            return ClerkSaleTrackingResult.LeftToPage;
        }

        if (!await ClaimAsync(sale.OrderId, cancellationToken).ConfigureAwait(false))
        {
            logger.SaleAlreadySent(sale.OrderId);
            metrics.SaleSuppressed();
            return ClerkSaleTrackingResult.AlreadySent;
        }

        var item = new DeliveryEvent(TrackedEvent.Sale, call, time.GetTimestamp(), sale.OrderId, Origin());
        if (!await EnqueueMustDeliverAsync(item, cancellationToken).ConfigureAwait(false))
        {
            await ReleaseAsync(sale.OrderId).ConfigureAwait(false);
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

        var item = new DeliveryEvent(TrackedEvent.Return, call, time.GetTimestamp(), orderId, Origin());
        if (!await EnqueueMustDeliverAsync(item, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Queues a sale or a return; if it cannot be (the caller stopped waiting for room, or the app is stopping), its
    /// payload is logged, so it is never lost without a trace.
    /// </summary>
    private async ValueTask<bool> EnqueueMustDeliverAsync(DeliveryEvent item, CancellationToken cancellationToken)
    {
        string reason;
        try
        {
            if (await queue.EnqueueAsync(item, cancellationToken).ConfigureAwait(false))
            {
                Queued(item);
                return true;
            }

            reason = "the app is stopping and no longer sends to Clerk.";
        }
        catch (OperationCanceledException)
        {
            reason = "the caller stopped waiting for room in the full queue.";
        }

        logger.SaleGivenUp(item.Kind.Name(), item.OrderId, item.LineCount, 0, TimeSpan.Zero, reason);
        logger.UndeliveredPayloadOf(item);
        metrics.DeliveryFailed(item.Kind.Name(), "NotQueued");
        return false;
    }

    private async ValueTask ReleaseAsync(string orderId)
    {
        try
        {
            await ledger.ReleaseAsync(orderId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            SaleLedgerFailures.ReleaseFailed(logger, metrics, orderId, exception);
        }
    }

    private void Track(TrackedEvent kind, Func<ClerkCall> build)
    {
        if (!options.Value.Enabled || Build(kind, build) is not { } call)
        {
            return;
        }

        var item = new DeliveryEvent(kind, call, time.GetTimestamp(), origin: Origin());
        if (!queue.TryEnqueue(item))
        {
            logger.EventDropped(kind.Name(), "the delivery queue is full (Clerk:Delivery:QueueCapacity); Clerk is slow or unreachable.");
            metrics.Dropped(kind.Name(), "queue_full");
            return;
        }

        Queued(item);
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
            metrics.DeliveryFailed(kind.Name(), "Invalid");
            return null;
        }
    }

    private async ValueTask<bool> ClaimAsync(string orderId, CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.TryClaimAsync(orderId, cancellationToken).ConfigureAwait(false);
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

    private void Queued(DeliveryEvent item)
    {
        metrics.Enqueued(item.Kind.Name());
        logger.EventQueued(item.Kind.Name(), queue.Count);
    }
}
