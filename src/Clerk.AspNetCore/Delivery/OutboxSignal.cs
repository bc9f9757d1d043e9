using System.Diagnostics;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// Wakes <see cref="OutboxWorker"/> when this process adds a message, so a sale tracked here is sent at once instead
/// of at the next poll of the outbox.
/// </summary>
internal sealed class OutboxSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = New();
    private DateTimeOffset? _wakeAt;
    private DateTimeOffset _wakeNotAfter;

    /// <summary>
    /// The task that completes at the next <see cref="Notify"/>. Taken before the worker looks into the outbox, so a
    /// message added while it looks still wakes it.
    /// </summary>
    public Task Arm()
    {
        lock (_gate)
        {
            if (_next.Task.IsCompleted)
            {
                _next = New();
            }

            return _next.Task;
        }
    }

    public void Notify()
    {
        lock (_gate)
        {
            _next.TrySetResult();
        }
    }

    /// <summary>
    /// When a message this process added asks to wait (catalog sync's debounce) is due: the worker wakes then rather
    /// than at its next poll. <see langword="null"/> when nothing is scheduled.
    /// </summary>
    public DateTimeOffset? ScheduledWake
    {
        get
        {
            lock (_gate)
            {
                return _wakeAt;
            }
        }
    }

    /// <summary>
    /// Wakes the worker at <paramref name="dueAt"/> for a message due then. A burst of such messages moves the wake to
    /// the last one's due time, so that the burst is leased, and sent, together; never past the first one's
    /// <paramref name="notAfter"/>, so that changes that never stop are still sent.
    /// </summary>
    public void NotifyAt(DateTimeOffset dueAt, DateTimeOffset notAfter)
    {
        lock (_gate)
        {
            if (_wakeAt is { } scheduled)
            {
                _wakeAt = dueAt > scheduled ? (dueAt < _wakeNotAfter ? dueAt : _wakeNotAfter) : scheduled;
            }
            else
            {
                _wakeAt = dueAt;
                _wakeNotAfter = notAfter > dueAt ? notAfter : dueAt;
            }

            // The worker recomputes how long it waits.
            _next.TrySetResult();
        }
    }

    /// <summary>The worker leased at <paramref name="leasedAt"/>: a wake scheduled until then is done.</summary>
    public void Leased(DateTimeOffset leasedAt)
    {
        lock (_gate)
        {
            if (_wakeAt <= leasedAt)
            {
                _wakeAt = null;
            }
        }
    }

    // Continuations run on the pool, never inline on the checkout request that notified.
    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The span that tracked each message this process added, for its delivery span to link to: a message in the outbox
/// keeps no trace context, so the link is made only when this process delivers it. Best effort and bounded: when
/// full (messages delivered by other instances are never taken out here) it starts afresh.
/// </summary>
internal sealed class OutboxOrigins
{
    public const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, ActivityContext> _origins = [];

    public void Remember(Guid id, ActivityContext origin)
    {
        if (origin == default)
        {
            return;
        }

        lock (_gate)
        {
            if (_origins.Count >= Capacity)
            {
                _origins.Clear();
            }

            _origins[id] = origin;
        }
    }

    public ActivityContext Find(Guid id)
    {
        lock (_gate)
        {
            return _origins.GetValueOrDefault(id);
        }
    }

    public void Forget(Guid id)
    {
        lock (_gate)
        {
            _origins.Remove(id);
        }
    }
}
