using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// The default <see cref="IClerkOutbox"/>: the messages of this process, under one lock. Right for one server; a crash
/// loses what it holds, which is why what is left at shutdown is logged with its payload. It never blocks: beyond
/// <see cref="DefaultCapacity"/> messages (Clerk unreachable for hours at a high rate of sales) it refuses new ones, and the
/// tracker logs them instead. Sent messages are forgotten at once (no audit in memory), so an erasure
/// (<see cref="ForgetAsync"/>) only ever redacts.
/// </summary>
internal sealed class InMemoryClerkOutbox : IClerkOutbox
{
    /// <summary>How many messages (pending and failed) it holds at most, by default.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly TimeProvider _time;
    private readonly OutboxSignal _signal;
    private readonly ILogger _logger;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Entry> _entries = [];
    private readonly Dictionary<string, StoreQueue> _stores = new(StringComparer.Ordinal);
    private long _sequence;

    // Messages other than sales and returns (catalog changes), which may fill at most half of the outbox.
    private int _otherKinds;
    private bool _closed;

    public InMemoryClerkOutbox(TimeProvider time, OutboxSignal signal, ILogger<InMemoryClerkOutbox> logger)
        : this(time, signal, logger, DefaultCapacity)
    {
    }

    internal InMemoryClerkOutbox(TimeProvider time, OutboxSignal signal, ILogger<InMemoryClerkOutbox> logger, int capacity)
    {
        _time = time;
        _signal = signal;
        _logger = logger;
        Capacity = capacity;
    }

    /// <summary>How many messages (pending and failed) it holds at most.</summary>
    public int Capacity { get; }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }

    public void Reopen()
    {
        lock (_gate)
        {
            _closed = false;
        }
    }

    public ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (_closed)
            {
                throw new OutboxRefusedException("the app is stopping and no longer sends to Clerk.");
            }

            if (_entries.Count >= Capacity)
            {
                throw new OutboxRefusedException(
                    $"the in-memory outbox holds {Capacity} sales and returns that Clerk has not accepted yet (Clerk is unreachable or rejects them); keep sales in the shop's database with the Clerk.AspNetCore.EntityFrameworkCore package.");
            }

            if (message.Kind is not ("sale" or "return") && _otherKinds >= Capacity / 2)
            {
                // Catalog changes (a bulk job, stock from every checkout) during a Clerk outage must never take the room
                // sales need: they get half of it, and the next import of the feeds brings Clerk what they would have.
                throw new OutboxRefusedException(
                    $"the in-memory outbox holds {_otherKinds} {message.Kind} messages that Clerk has not accepted yet, the most it keeps besides sales and returns (half its {Capacity}); Clerk gets the changes at its next import of the feeds.");
            }

            if (_entries.ContainsKey(message.Id))
            {
                return ValueTask.CompletedTask;
            }

            if (message.Kind is not ("sale" or "return"))
            {
                _otherKinds++;
            }

            var entry = new Entry(message, ++_sequence)
            {
                DueAt = message.DueAt == default ? _time.GetUtcNow() : message.DueAt,
                Attempts = message.Attempts,
                LastError = message.LastError,
            };
            _entries.Add(message.Id, entry);
            StoreOf(message.Store).Ready.Add(entry);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(string store, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        var leased = new List<ClerkOutboxMessage>();
        lock (_gate)
        {
            if (!_stores.TryGetValue(store, out var state))
            {
                return ValueTask.FromResult<IReadOnlyList<ClerkOutboxMessage>>(leased);
            }

            // Leases that ran out make their messages ready again, in their place by due time.
            while (state.Leases.TryPeek(out var lease, out var until) && until <= now)
            {
                state.Leases.Dequeue();
                if (lease.Entry.LeaseId == lease.LeaseId && _entries.ContainsKey(lease.Entry.Message.Id))
                {
                    lease.Entry.LeaseId = Guid.Empty;
                    state.Ready.Add(lease.Entry);
                }
            }

            while (leased.Count < maxCount && state.Ready.Min is { } next && next.DueAt <= now)
            {
                state.Ready.Remove(next);
                next.LeaseId = Guid.NewGuid();
                state.Leases.Enqueue((next, next.LeaseId), now + leaseDuration);
                leased.Add(next.Snapshot());
            }
        }

        return ValueTask.FromResult<IReadOnlyList<ClerkOutboxMessage>>(leased);
    }

    public ValueTask MarkSentAsync(IReadOnlyCollection<ClerkOutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_gate)
        {
            foreach (var message in messages)
            {
                // Sent is sent, whoever holds the lease now: the message is forgotten.
                if (_entries.Remove(message.Id, out var entry))
                {
                    if (entry.Message.Kind is not ("sale" or "return"))
                    {
                        _otherKinds--;
                    }

                    var state = StoreOf(entry.Message.Store);
                    if (entry.Failed)
                    {
                        state.Failed--;
                    }
                    else
                    {
                        state.Ready.Remove(entry);
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RescheduleAsync(ClerkOutboxMessage message, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (Leased(message) is { } entry)
            {
                entry.LeaseId = Guid.Empty;
                entry.Attempts++;
                entry.LastError = error;
                entry.DueAt = dueAt;
                StoreOf(entry.Message.Store).Ready.Add(entry);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask MarkFailedAsync(ClerkOutboxMessage message, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (Leased(message) is { } entry)
            {
                entry.LeaseId = Guid.Empty;
                entry.LastError = error;
                entry.Failed = true;
                StoreOf(entry.Message.Store).Failed++;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> RedriveFailedAsync(string store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = _time.GetUtcNow();
        var count = 0;
        lock (_gate)
        {
            if (_stores.TryGetValue(store, out var state) && state.Failed > 0)
            {
                foreach (var entry in _entries.Values)
                {
                    if (entry.Failed && entry.Message.Store == store)
                    {
                        entry.Failed = false;
                        entry.Attempts = 0;
                        entry.DueAt = now;
                        state.Ready.Add(entry);
                        count++;
                    }
                }

                state.Failed = 0;
            }
        }

        if (count > 0)
        {
            _logger.OutboxRedriven(count);
            _signal.Notify();
        }

        return ValueTask.FromResult(count);
    }

    public ValueTask<ClerkOutboxStatus> GetStatusAsync(string store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        lock (_gate)
        {
            if (!_stores.TryGetValue(store, out var state))
            {
                return ValueTask.FromResult(new ClerkOutboxStatus(0, 0, null));
            }

            var pending = 0;
            DateTimeOffset? oldest = null;
            foreach (var entry in _entries.Values)
            {
                if (!entry.Failed && entry.Message.Store == store)
                {
                    pending++;
                    if (oldest is null || entry.Message.CreatedAt < oldest)
                    {
                        oldest = entry.Message.CreatedAt;
                    }
                }
            }

            return ValueTask.FromResult(new ClerkOutboxStatus(pending, state.Failed, oldest));
        }
    }

    public ValueTask<ClerkOutboxErasure> ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);

        // Bodies are read outside the lock (parsing up to Capacity of them must not hold up tracking and delivery), then
        // each match is redacted under it if its body is still the one read. Bodies change only here, so a body that
        // changed meanwhile was redacted by a concurrent erasure. The entry stays where it is (same due time, same
        // lease): a sender that fails its attempt retries with the redacted body.
        var matches = Candidates().Where(c => ClerkOutboxRedaction.Mentions(c.Body, subject)).ToList();
        int redacted = 0, inFlight = 0;
        lock (_gate)
        {
            foreach (var (id, body) in matches)
            {
                if (_entries.TryGetValue(id, out var entry) && ReferenceEquals(entry.Body, body))
                {
                    entry.Body = ClerkOutboxRedaction.Redact(body);
                    redacted++;
                    if (entry.LeaseId != Guid.Empty)
                    {
                        inFlight++;
                    }
                }
            }
        }

        return ValueTask.FromResult(redacted == 0 ? ClerkOutboxErasure.None : new ClerkOutboxErasure(0, redacted, inFlight));
    }

    public ValueTask<IReadOnlyList<ClerkOutboxMessage>> FindAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var ids = Candidates().Where(c => ClerkOutboxRedaction.Mentions(c.Body, subject)).Select(c => c.Id).ToHashSet();
        lock (_gate)
        {
            IReadOnlyList<ClerkOutboxMessage> found =
                [.. _entries.Values.Where(e => ids.Contains(e.Message.Id)).OrderBy(e => e.Sequence).Select(e => e.Snapshot())];
            return ValueTask.FromResult(found);
        }
    }

    /// <summary>The pending messages of every store, leased or not, for the record at shutdown; they stay.</summary>
    public IReadOnlyList<ClerkOutboxMessage> Pending()
    {
        lock (_gate)
        {
            return [.. _entries.Values.Where(e => !e.Failed).OrderBy(e => e.Sequence).Select(e => e.Snapshot())];
        }
    }

    private List<(Guid Id, string Body)> Candidates()
    {
        lock (_gate)
        {
            return [.. _entries.Values.Select(e => (e.Message.Id, e.Body))];
        }
    }

    // The entry, if the caller's lease is still the message's.
    private Entry? Leased(ClerkOutboxMessage message) =>
        message.LeaseId != Guid.Empty && _entries.TryGetValue(message.Id, out var entry) && !entry.Failed && entry.LeaseId == message.LeaseId
            ? entry
            : null;

    private StoreQueue StoreOf(string store)
    {
        if (!_stores.TryGetValue(store, out var state))
        {
            _stores[store] = state = new StoreQueue();
        }

        return state;
    }

    private sealed class StoreQueue
    {
        // Pending messages not leased, the earliest due first (then the earliest added).
        public SortedSet<Entry> Ready { get; } = new(EntryOrder.Instance);

        // Leased messages by the end of their lease; a lease that was marked or rescheduled meanwhile is skipped.
        public PriorityQueue<(Entry Entry, Guid LeaseId), DateTimeOffset> Leases { get; } = new();

        public int Failed { get; set; }
    }

    private sealed class Entry(ClerkOutboxMessage message, long sequence)
    {
        public ClerkOutboxMessage Message { get; } = message;

        public long Sequence { get; } = sequence;

        // The message's body, until an erasure redacts it.
        public string Body { get; set; } = message.Body;

        public DateTimeOffset DueAt { get; set; }

        public int Attempts { get; set; }

        public string? LastError { get; set; }

        public Guid LeaseId { get; set; }

        public bool Failed { get; set; }

        public ClerkOutboxMessage Snapshot() => new()
        {
            Id = Message.Id,
            Store = Message.Store,
            Kind = Message.Kind,
            Endpoint = Message.Endpoint,
            Body = Body,
            OrderId = Message.OrderId,
            CreatedAt = Message.CreatedAt,
            DueAt = DueAt,
            Attempts = Attempts,
            LastError = LastError,
            LeaseId = LeaseId,
            State = Failed ? ClerkOutboxMessageState.Failed : ClerkOutboxMessageState.Pending,
        };
    }

    // An entry's DueAt changes only while it is out of the set, so the order it was added in stays true.
    private sealed class EntryOrder : IComparer<Entry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            var due = x!.DueAt.CompareTo(y!.DueAt);
            return due != 0 ? due : x.Sequence.CompareTo(y.Sequence);
        }
    }
}

/// <summary>
/// The in-memory outbox cannot take a message (it is full, or the app is stopping): not a failure of a store, so the
/// tracker logs the sale with its payload and returns <see cref="ClerkSaleTrackingResult.NotQueued"/>, also in Development.
/// </summary>
internal sealed class OutboxRefusedException(string reason) : InvalidOperationException(reason)
{
    public string Reason { get; } = reason;
}
