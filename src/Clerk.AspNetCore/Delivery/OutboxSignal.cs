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
