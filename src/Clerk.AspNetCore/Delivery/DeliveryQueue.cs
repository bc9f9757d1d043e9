using System.Collections.Concurrent;
using System.Threading.Channels;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// The events waiting for delivery, in two bounded lanes: sales and returns, which wait for room when their lane is
/// full, and clicks, views and e-mails, which are refused when theirs is. Readers take sales first. It outlives the
/// worker, so a restarted worker finds what was left.
/// </summary>
internal sealed class DeliveryQueue
{
    private readonly Channel<DeliveryEvent> _sales;
    private readonly Channel<DeliveryEvent> _events;

    // Events a stopping worker could not finish; read before anything else.
    private readonly ConcurrentQueue<DeliveryEvent> _returned = new();

    // One count per event in any lane, so a reader wakes for whichever lane has one.
    private readonly SemaphoreSlim _available = new(0);

    public DeliveryQueue(IOptions<ClerkOptions> options, ClerkMetrics metrics)
    {
        var capacity = options.Value.Delivery.QueueCapacity;
        _sales = Channel.CreateBounded<DeliveryEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
        _events = Channel.CreateBounded<DeliveryEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
        metrics.ObserveQueueLength(() => Count);
    }

    public int Count => _sales.Reader.Count + _events.Reader.Count + _returned.Count;

    /// <summary>Queues a click, view or e-mail; <see langword="false"/> when its lane is full.</summary>
    public bool TryEnqueue(DeliveryEvent item)
    {
        if (!_events.Writer.TryWrite(item))
        {
            return false;
        }

        _available.Release();
        return true;
    }

    /// <summary>
    /// Queues a sale or a return, waiting for room if its lane is full (only then does the token count);
    /// <see langword="false"/> once the worker has stopped for good, when nothing would send it.
    /// </summary>
    public async ValueTask<bool> EnqueueAsync(DeliveryEvent item, CancellationToken cancellationToken)
    {
        if (IsClosed)
        {
            return false;
        }

        if (!_sales.Writer.TryWrite(item))
        {
            await _sales.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }

        _available.Release();
        return true;
    }

    /// <summary>Whether the worker has stopped: sales tracked now are logged instead of queued.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Clicks, views and e-mails waiting.</summary>
    public int DroppableCount => _events.Reader.Count + _returned.Count(e => !e.Kind.MustDeliver());

    public void Close() => IsClosed = true;

    public void Reopen() => IsClosed = false;

    /// <summary>Puts back an event a stopping worker could not finish, ahead of the others.</summary>
    public void Return(DeliveryEvent item)
    {
        _returned.Enqueue(item);
        _available.Release();
    }

    /// <summary>Waits for the next event: returned ones first, then sales, then the rest.</summary>
    public async ValueTask<DeliveryEvent> ReadAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Take();
    }

    /// <summary>Takes the next event without waiting, for flushing at shutdown.</summary>
    public bool TryRead(out DeliveryEvent item)
    {
        if (!_available.Wait(0))
        {
            item = null!;
            return false;
        }

        item = Take();
        return true;
    }

    /// <summary>The sales and returns still queued, for the record at shutdown; they stay queued.</summary>
    public IReadOnlyList<DeliveryEvent> PendingMustDeliver()
    {
        var pending = _returned.Where(e => e.Kind.MustDeliver()).ToList();
        if (_sales.Reader.TryPeek(out _))
        {
            // A channel cannot be listed without reading: take everything out and put it back in order.
            var drained = new List<DeliveryEvent>();
            while (_sales.Reader.TryRead(out var sale))
            {
                drained.Add(sale);
            }

            foreach (var sale in drained)
            {
                _returned.Enqueue(sale);
            }

            pending.AddRange(drained);
        }

        return pending;
    }

    // Each count stands for an event written before it was counted, so one is there; it may only be moving lanes
    // (PendingMustDeliver), hence the spin rather than giving the count up.
    private DeliveryEvent Take()
    {
        var spin = default(SpinWait);
        while (true)
        {
            if (_returned.TryDequeue(out var item) || _sales.Reader.TryRead(out item) || _events.Reader.TryRead(out item))
            {
                return item;
            }

            spin.SpinOnce();
        }
    }
}
