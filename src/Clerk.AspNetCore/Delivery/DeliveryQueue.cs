using System.Collections.Concurrent;
using System.Threading.Channels;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// The clicks, views and e-mails waiting for delivery, in one bounded lane that refuses new ones when it is full
/// (lossy by design, counted). Sales and returns never wait here: they are in the <see cref="IClerkOutbox"/>. It
/// outlives the worker, so a restarted worker finds what was left.
/// </summary>
internal sealed class DeliveryQueue
{
    private readonly Channel<DeliveryEvent> _events;

    // Events a stopping worker could not finish; read before anything else.
    private readonly ConcurrentQueue<DeliveryEvent> _returned = new();

    // One count per event in the lane or returned, so a reader wakes for either.
    private readonly SemaphoreSlim _available = new(0);

    public DeliveryQueue(IOptions<ClerkOptions> options, ClerkMetrics metrics)
    {
        _events = Channel.CreateBounded<DeliveryEvent>(new BoundedChannelOptions(options.Value.Delivery.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        metrics.ObserveQueueLength(() => Count);
    }

    public int Count => _events.Reader.Count + _returned.Count;

    /// <summary>Queues a click, view or e-mail; <see langword="false"/> when the lane is full.</summary>
    public bool TryEnqueue(DeliveryEvent item)
    {
        if (!_events.Writer.TryWrite(item))
        {
            return false;
        }

        _available.Release();
        return true;
    }

    /// <summary>Puts back an event a stopping worker could not finish, ahead of the others.</summary>
    public void Return(DeliveryEvent item)
    {
        _returned.Enqueue(item);
        _available.Release();
    }

    /// <summary>Waits for the next event: returned ones first.</summary>
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

    // Each count stands for an event written before it was counted, so one is there.
    private DeliveryEvent Take()
    {
        var spin = default(SpinWait);
        while (true)
        {
            if (_returned.TryDequeue(out var item) || _events.Reader.TryRead(out item))
            {
                return item;
            }

            spin.SpinOnce();
        }
    }
}
