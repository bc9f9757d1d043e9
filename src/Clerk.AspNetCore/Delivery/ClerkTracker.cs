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
    IOptionsMonitor<ClerkOptions> options,
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
        if (!options.CurrentValue.CollectEmails || who.Declined || who.Id is null)
        {
            return;
        }

        Track(TrackedEvent.Email, () => calls.Email(email, visitor));
    }

    public async ValueTask<ClerkSaleTrackingResult> TrackSaleAsync(ClerkSale sale, CancellationToken cancellationToken = default)
    {
        var current = options.CurrentValue;
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

        var item = new DeliveryEvent(TrackedEvent.Sale, call, time.GetTimestamp(), sale.OrderId);
        try
        {
            await queue.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.SaleGivenUp("sale", sale.OrderId, 0, TimeSpan.Zero, "the caller stopped waiting for room in the full queue.", item.Payload);
            metrics.DeliveryFailed("sale", "NotQueued");
            await ledger.ReleaseAsync(sale.OrderId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        Queued(item);
        return ClerkSaleTrackingResult.Queued;
    }

    public async ValueTask TrackReturnAsync(ClerkProductId product, string orderId, int quantity, CancellationToken cancellationToken = default)
    {
        if (!options.CurrentValue.Enabled || Build(TrackedEvent.Return, () => calls.Return(product, orderId, quantity)) is not { } call)
        {
            return;
        }

        var item = new DeliveryEvent(TrackedEvent.Return, call, time.GetTimestamp(), orderId);
        await queue.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        Queued(item);
    }

    private void Track(TrackedEvent kind, Func<ClerkCall> build)
    {
        if (!options.CurrentValue.Enabled || Build(kind, build) is not { } call)
        {
            return;
        }

        var item = new DeliveryEvent(kind, call, time.GetTimestamp());
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
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A shared ledger that is down: a sale sent twice is better than a sale lost.
            logger.TrackingFailed("sale ledger claim", exception);
            metrics.TrackingFailed("sale_ledger");
            return true;
        }
    }

    private void Queued(DeliveryEvent item)
    {
        metrics.Enqueued(item.Kind.Name());
        logger.EventQueued(item.Kind.Name(), queue.Count);
    }
}
