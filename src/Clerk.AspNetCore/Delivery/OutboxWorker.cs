using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// Sends the sales, returns and catalog changes of the <see cref="IClerkOutbox"/>, on every instance: leases a batch of due messages
/// of each configured store in turn (a round: every store's lease once, the first store rotating, so one store's
/// backlog delays another's by one batch at most), sends them <see cref="ClerkDeliveryOptions.MaxConcurrency"/> at a time, and marks the sent ones in
/// one write. A transient failure reschedules the message with exponential back-off and jitter (or as
/// <c>Retry-After</c> asks), so a failing sale never holds a sender; a message Clerk refuses, or one still failing
/// <see cref="ClerkDeliveryOptions.SaleGiveUpAfter"/> after it was tracked, is marked failed and its order released.
/// Idle, it waits <see cref="ClerkDeliveryOptions.OutboxPollInterval"/>, or less when a retry it scheduled is due
/// sooner, and wakes at once when this process tracks a sale. An outbox that throws (a database that is down) is
/// logged and counted, and the loop goes on after a back-off: it never dies. The messages of a kind with an
/// <see cref="IOutboxBatchSender"/> (catalog changes) are handed to it together, and share their outcome.
/// </summary>
/// <remarks>
/// Each message is sent with the keys of its own store (<see cref="ClerkOutboxMessage.Store"/>, a public key), found
/// among the configured stores. Messages of a store this app does not configure (a store removed from the
/// configuration, or another app's rows in a shared database) are never leased, since the worker leases by the
/// configured stores' keys: they are left alone, untouched, for an app that has that store. Should an outbox hand out
/// such a message anyway (one that ignores the store it is asked for), it is not sent, nor marked: its lease runs out
/// and it stays as it was; this is logged once per app (event 89).
/// </remarks>
internal sealed class OutboxWorker : DeliveryBackgroundService
{
    /// <summary>The stage under which a failing outbox is counted in <c>clerk.tracking.failures</c>.</summary>
    public const string Stage = "outbox";

    private static readonly TimeSpan MaxOutboxBackOff = TimeSpan.FromMinutes(1);

    private readonly IClerkOutbox _outbox;
    private readonly InMemoryClerkOutbox? _memory;
    private readonly OutboxSignal _signal;
    private readonly OutboxOrigins _origins;
    private readonly IHttpClientFactory _httpClients;
    private readonly ClerkCalls _calls;
    private readonly IClerkSaleLedger _ledger;
    private readonly ClerkMetrics _metrics;
    private readonly DeliveryHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClerkDeliveryOptions _options;
    private readonly ClerkStoreSet _stores;

    // The configured stores' public keys, in configuration order: one lease each per round.
    private readonly string[] _storeKeys;
    private readonly TimeSpan _apiTimeout;
    private readonly TimeSpan _leaseDuration;

    // Kinds whose messages go together (catalog sync), by kind; sales and returns go one call each.
    private readonly Dictionary<string, IOutboxBatchSender> _batchSenders = new(StringComparer.Ordinal);

    // The due times of the retries this worker scheduled: it wakes for the earliest rather than at the next poll.
    private readonly PriorityQueue<byte, DateTimeOffset> _retriesDue = new();

    // Sent, but not yet marked so (the outbox failed): marked before anything else is leased.
    private readonly List<ClerkOutboxMessage> _unmarked = [];

    private DateTimeOffset _leasedAt;

    // When the current round's first lease was taken: what was due by then has been leased by some store's lease.
    private DateTimeOffset _roundAt;

    // The store whose lease comes first in the next round.
    private int _firstStore;
    private int _warnedUnhandled;
    private int _warnedForeign;
    private string _operation = "lease due messages";

    public OutboxWorker(
        IClerkOutbox outbox,
        OutboxSignal signal,
        OutboxOrigins origins,
        IHttpClientFactory httpClients,
        ClerkCalls calls,
        IClerkSaleLedger ledger,
        ClerkMetrics metrics,
        DeliveryHealth health,
        TimeProvider time,
        IOptions<ClerkOptions> options,
        ILogger<OutboxWorker> logger,
        IEnumerable<IOutboxBatchSender> batchSenders,
        ClerkStoreSet stores)
        : base(time)
    {
        foreach (var sender in batchSenders)
        {
            _batchSenders.TryAdd(sender.Kind, sender);
        }

        _outbox = outbox;
        _memory = outbox as InMemoryClerkOutbox;
        _signal = signal;
        _origins = origins;
        _httpClients = httpClients;
        _calls = calls;
        _ledger = ledger;
        _metrics = metrics;
        _health = health;
        _time = time;
        _logger = logger;
        var clerk = options.Value;
        _options = clerk.Delivery;
        _stores = stores;
        _storeKeys = [.. stores.All.Select(s => s.PublicKey)];
        _apiTimeout = clerk.ApiTimeout;

        // Long enough for a send, so that no other instance takes a message while this one is still sending it.
        _leaseDuration = _options.OutboxLeaseDuration ?? TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, 4 * clerk.ApiTimeout.Ticks));
    }

    private string OutboxName => _outbox.GetType().Name;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _memory?.Reopen();
        return base.StartAsync(cancellationToken);
    }

    // In memory, nothing would send a sale tracked from now on: the tracker logs it instead.
    protected override void OnStopping() => _memory?.Close();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_storeKeys.Length == 0)
        {
            return;
        }

        await Task.Yield();
        var failures = 0;
        while (!Abandon.IsCancellationRequested)
        {
            var wake = _signal.Arm();
            int leased;
            bool full;
            try
            {
                (leased, full) = await RunRoundAsync().ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception) when (Abandon.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The outbox itself failed (its database is down): the messages wait in it, and this loop goes on.
                var backOff = TimeSpan.FromTicks(Math.Min(MaxOutboxBackOff.Ticks, _options.OutboxPollInterval.Ticks << Math.Min(failures++, 16)));
                _logger.OutboxFailed(OutboxName, _operation, $"sales and returns wait in it, and the worker tries again in {(long)backOff.TotalMilliseconds} ms.", exception);
                _metrics.TrackingFailed(Stage);
                if (stoppingToken.IsCancellationRequested)
                {
                    break;
                }

                await Task.Delay(backOff, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (stoppingToken.IsCancellationRequested)
            {
                // Stopping. A durable outbox keeps the rest for the next instance; in memory, whatever is due is sent
                // while the host's shutdown timeout lasts, since it is lost with the process.
                if (_memory is null || leased == 0)
                {
                    break;
                }

                continue;
            }

            if (!full)
            {
                await IdleAsync(wake, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One round: each store's lease and sends in turn, the first store rotating from round to round. A store whose
    /// outbox call throws does not keep the others from their turn; the first failure is thrown once the round is
    /// over (the loop then backs off). Returns the messages leased, and whether any store's lease came back full (more
    /// are due: no idle wait).
    /// </summary>
    private async Task<(int Leased, bool Full)> RunRoundAsync()
    {
        var count = _storeKeys.Length;
        var first = _firstStore;
        _firstStore = (first + 1) % count;
        _roundAt = _time.GetUtcNow();
        var leased = 0;
        var full = false;
        ExceptionDispatchInfo? failure = null;
        string? failedOperation = null;
        for (var i = 0; i < count && !Abandon.IsCancellationRequested; i++)
        {
            try
            {
                var store = _storeKeys[(first + i) % count];
                var batch = await RunOnceAsync(store).ConfigureAwait(false);
                leased += batch;
                full |= batch >= _options.OutboxBatchSize;
            }
            catch (Exception exception) when (!Abandon.IsCancellationRequested)
            {
                if (failure is null)
                {
                    failure = ExceptionDispatchInfo.Capture(exception);
                    failedOperation = _operation;
                }
            }
        }

        // Whatever was due when the round began was leased here, by another instance, or never committed (a
        // rolled-back transaction): a scheduled wake is done either way, or the worker would lease again at once, for ever.
        _signal.Leased(_roundAt);
        if (failure is not null)
        {
            _operation = failedOperation!;
            failure.Throw();
        }

        return (leased, full);
    }

    /// <summary>One store's lease, its sends and one write for the sent; the number of messages leased.</summary>
    private async Task<int> RunOnceAsync(string store)
    {
        if (_unmarked.Count > 0)
        {
            await MarkUnmarkedAsync().ConfigureAwait(false);
        }

        _operation = "lease due messages";
        _leasedAt = _time.GetUtcNow();
        var leased = await _outbox.LeaseAsync(store, _options.OutboxBatchSize, _leaseDuration, Abandon).ConfigureAwait(false);
        if (leased.Count == 0)
        {
            return 0;
        }

        var deadline = _leasedAt + _leaseDuration;
        var sent = new ConcurrentQueue<ClerkOutboxMessage>();
        await Parallel.ForEachAsync(
            Work(store, leased),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency },
            async (work, _) =>
            {
                if (work.Sender is UnhandledKind)
                {
                    await PutBackUnhandledAsync(work.Messages[0]).ConfigureAwait(false);
                }
                else if (work.Sender is ForeignStore)
                {
                    LeaveForeign(store, work.Messages[0]);
                }
                else if (work.Sender is { } sender)
                {
                    foreach (var message in await DeliverBatchAsync(sender, work.Messages, deadline).ConfigureAwait(false))
                    {
                        sent.Enqueue(message);
                    }
                }
                else if (await DeliverAsync(work.Messages[0], deadline).ConfigureAwait(false))
                {
                    sent.Enqueue(work.Messages[0]);
                }
            }).ConfigureAwait(false);

        if (!sent.IsEmpty)
        {
            _unmarked.AddRange(sent);
            await MarkUnmarkedAsync().ConfigureAwait(false);
        }

        return leased.Count;
    }

    /// <summary>
    /// Each sale or return alone; the messages of a batched kind (catalog sync) together, in lease order; a message of
    /// another store than the one leased (an outbox that ignored the store) apart, never to be sent with its keys.
    /// </summary>
    private List<(IOutboxBatchSender? Sender, IReadOnlyList<ClerkOutboxMessage> Messages)> Work(string store, IReadOnlyList<ClerkOutboxMessage> leased)
    {
        var work = new List<(IOutboxBatchSender?, IReadOnlyList<ClerkOutboxMessage>)>(leased.Count);
        Dictionary<string, List<ClerkOutboxMessage>>? batches = null;
        foreach (var message in leased)
        {
            if (!string.Equals(message.Store, store, StringComparison.Ordinal))
            {
                work.Add((ForeignStore.Instance, [message]));
            }
            else if (_batchSenders.Count > 0 && _batchSenders.ContainsKey(message.Kind))
            {
                batches ??= new(StringComparer.Ordinal);
                if (!batches.TryGetValue(message.Kind, out var batch))
                {
                    batches[message.Kind] = batch = [];
                }

                batch.Add(message);
            }
            else if (message.Kind is "sale" or "return")
            {
                work.Add((null, [message]));
            }
            else
            {
                // A kind this instance has no sender for (catalog sync without AddClerkFeeds here: a back-office app
                // sharing the outbox, an older version mid-deploy) is left for an instance that has one.
                work.Add((UnhandledKind.Instance, [message]));
            }
        }

        if (batches is not null)
        {
            foreach (var (kind, batch) in batches)
            {
                work.Add((_batchSenders[kind], batch));
            }
        }

        return work;
    }

    /// <summary>Leaves a message of a kind this instance cannot send to an instance that can: due again a lease later.</summary>
    private async Task PutBackUnhandledAsync(ClerkOutboxMessage message)
    {
        if (Interlocked.Exchange(ref _warnedUnhandled, 1) == 0)
        {
            _logger.OutboxKindUnhandled(message.Kind);
        }

        try
        {
            await _outbox.RescheduleAsync(
                message,
                _time.GetUtcNow() + _leaseDuration,
                $"not sent: this instance has no sender for '{message.Kind}' messages (services.AddClerkFeeds() registers catalog sync).",
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            OutboxFailedFor(message, "put back a message of an unhandled kind", failure);
        }
    }

    /// <summary>Marks, in the work list, a message whose kind has no sender on this instance.</summary>
    private sealed class UnhandledKind : IOutboxBatchSender
    {
        public static readonly UnhandledKind Instance = new();

        public string Kind => "";

        public Task<IReadOnlyList<OutboxBatchProblem>> SendAsync(IReadOnlyList<ClerkOutboxMessage> messages, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Messages of an unhandled kind are put back, never sent.");
    }

    /// <summary>
    /// A message of another store than the one leased: not sent (with no store's keys, whichever store it names), not
    /// marked, not rescheduled; its lease runs out and it stays as it was, for an app that has its store. Logged once.
    /// </summary>
    private void LeaveForeign(string leasedStore, ClerkOutboxMessage message)
    {
        if (Interlocked.Exchange(ref _warnedForeign, 1) == 0)
        {
            var leasedName = _stores.FindByPublicKey(leasedStore)?.Name ?? "?";
            _logger.OutboxMessageOfOtherStore(OutboxName, message.Kind, leasedName, _stores.FindByPublicKey(message.Store)?.Name);
        }

        _origins.Forget(message.Id);
    }

    /// <summary>Marks, in the work list, a message of another store than the one leased.</summary>
    private sealed class ForeignStore : IOutboxBatchSender
    {
        public static readonly ForeignStore Instance = new();

        public string Kind => "";

        public Task<IReadOnlyList<OutboxBatchProblem>> SendAsync(IReadOnlyList<ClerkOutboxMessage> messages, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Messages of another store are left alone, never sent.");
    }

    private async Task MarkUnmarkedAsync()
    {
        // Not cancelled at shutdown: what Clerk accepted must not be sent again.
        _operation = "mark messages sent";
        await _outbox.MarkSentAsync(_unmarked, CancellationToken.None).ConfigureAwait(false);
        _unmarked.Clear();
    }

    private async Task IdleAsync(Task wake, CancellationToken stoppingToken)
    {
        var wait = _options.OutboxPollInterval;
        lock (_retriesDue)
        {
            // A retry due before the last round began was either leased or taken by another instance.
            while (_retriesDue.TryPeek(out _, out var due) && due <= _roundAt)
            {
                _retriesDue.Dequeue();
            }

            if (_retriesDue.TryPeek(out _, out var next))
            {
                var untilNext = next - _time.GetUtcNow();
                wait = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext < wait ? untilNext : wait;
            }
        }

        // A message this process added to be sent later (catalog sync's debounce).
        if (_signal.ScheduledWake is { } scheduled)
        {
            var untilScheduled = scheduled - _time.GetUtcNow();
            wait = untilScheduled < TimeSpan.Zero ? TimeSpan.Zero : untilScheduled < wait ? untilScheduled : wait;
        }

        await wake.WaitAsync(wait, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Sends one leased message; <see langword="true"/> when Clerk accepted it.</summary>
    private async Task<bool> DeliverAsync(ClerkOutboxMessage message, DateTimeOffset deadline)
    {
        if (Abandon.IsCancellationRequested)
        {
            await GiveBackAsync(message).ConfigureAwait(false);
            return false;
        }

        if (_time.GetUtcNow() + _apiTimeout > deadline)
        {
            // Slow sends ate the lease: another instance may take the message once it runs out, so it is not sent
            // here now (this worker leases it again itself otherwise).
            return false;
        }

        var kind = message.Kind;
        var tries = message.Attempts + 1;
        using var span = DeliverySpans.Start(kind, message.Endpoint, _origins.Find(message.Id));
        try
        {
            var client = ClerkClient.Create(_httpClients, _calls, _time);
            // The private key, for the endpoints that need it, is added now (the outbox never stores it): the key of
            // the message's own store, which the lease (by that store's key) guarantees is configured.
            var call = ClerkCalls.WithPrivateKey(new ClerkCall(message.Endpoint, Encoding.UTF8.GetBytes(message.Body)), StoreOf(message));
            using var answer = await client.SendAsync(call, Abandon)
                .ConfigureAwait(false);
        }
        catch (Exception) when (Abandon.IsCancellationRequested)
        {
            // The shutdown timeout ran out mid-send: the message stays in the outbox, due now, for whoever sends next.
            DeliverySpans.Outcome(span, tries, "abandoned");
            await GiveBackAsync(message).ConfigureAwait(false);
            return false;
        }
        catch (ClerkApiException exception) when (!exception.IsTransient)
        {
            _logger.DeliveryRejected(kind, message.Endpoint, message.OrderId, DeliveryPayload.LineCount(message.Body), exception.Type, exception.ClerkMessage, exception.ErrorId);
            _logger.UndeliveredPayloadOf(message);
            DeliverySpans.Outcome(span, tries, "rejected", exception.Type.ToString());
            await FailAsync(message, exception.Type.ToString(), DeliveryErrors.Describe(exception)).ConfigureAwait(false);
            return false;
        }
        catch (Exception exception)
        {
            // Transient failures, and anything an app's handler in the HttpClient pipeline throws.
            await RetryOrGiveUpAsync(message, tries, span, exception).ConfigureAwait(false);
            return false;
        }

        var latency = _time.GetUtcNow() - message.CreatedAt;
        latency = latency < TimeSpan.Zero ? TimeSpan.Zero : latency;
        _metrics.Sent(kind, latency, StoreName(message));
        _health.Delivered();
        if (kind == TrackedEvent.Sale.Name())
        {
            _health.SaleSent();
        }

        _logger.EventDelivered(kind, message.Endpoint, tries, (long)latency.TotalMilliseconds);
        DeliverySpans.Outcome(span, tries, "sent");
        _origins.Forget(message.Id);
        return true;
    }

    /// <summary>
    /// Sends the leased messages of a batched kind through their sender in one go; the messages Clerk accepted. They
    /// share the outcome: all sent, all retried at one due time (so they stay together), or all failed; only a message
    /// the sender could not read fails alone.
    /// </summary>
    private async Task<IReadOnlyList<ClerkOutboxMessage>> DeliverBatchAsync(IOutboxBatchSender sender, IReadOnlyList<ClerkOutboxMessage> messages, DateTimeOffset deadline)
    {
        if (Abandon.IsCancellationRequested)
        {
            foreach (var message in messages)
            {
                await GiveBackAsync(message).ConfigureAwait(false);
            }

            return [];
        }

        if (_time.GetUtcNow() + _apiTimeout > deadline)
        {
            return [];
        }

        var kind = sender.Kind;
        var tries = messages.Max(m => m.Attempts) + 1;
        var lines = messages.Sum(m => DeliveryPayload.LineCount(m.Body));
        using var span = DeliverySpans.Start(kind, messages[0].Endpoint, _origins.Find(messages[0].Id));
        IReadOnlyList<OutboxBatchProblem> problems;
        try
        {
            problems = await sender.SendAsync(messages, Abandon).ConfigureAwait(false);
        }
        catch (Exception) when (Abandon.IsCancellationRequested)
        {
            DeliverySpans.Outcome(span, tries, "abandoned");
            foreach (var message in messages)
            {
                await GiveBackAsync(message).ConfigureAwait(false);
            }

            return [];
        }
        catch (ClerkApiException exception) when (!exception.IsTransient)
        {
            _logger.DeliveryRejected(kind, exception.Endpoint, null, lines, exception.Type, exception.ClerkMessage, exception.ErrorId);
            DeliverySpans.Outcome(span, tries, "rejected", exception.Type.ToString());
            foreach (var message in messages)
            {
                _logger.UndeliveredPayloadOf(message);
                await FailAsync(message, exception.Type.ToString(), DeliveryErrors.Describe(exception)).ConfigureAwait(false);
            }

            return [];
        }
        catch (OutboxBatchRejectedException exception)
        {
            _logger.TrackingRejected(kind, exception.Message);
            DeliverySpans.Outcome(span, tries, "rejected", "Invalid");
            foreach (var message in messages)
            {
                await FailAsync(message, "Invalid", exception.Message).ConfigureAwait(false);
            }

            return [];
        }
        catch (Exception exception)
        {
            await RetryOrGiveUpBatchAsync(messages, tries, span, exception).ConfigureAwait(false);
            return [];
        }

        var sent = new List<ClerkOutboxMessage>(messages.Count);
        foreach (var message in messages)
        {
            var problem = problems.FirstOrDefault(p => p.Message.Id == message.Id);
            if (problem.Message is not null)
            {
                _logger.TrackingRejected(kind, problem.Reason);
                await FailAsync(message, "Invalid", problem.Reason).ConfigureAwait(false);
                continue;
            }

            var latency = _time.GetUtcNow() - message.CreatedAt;
            _metrics.Sent(kind, latency < TimeSpan.Zero ? TimeSpan.Zero : latency, StoreName(message));
            _origins.Forget(message.Id);
            sent.Add(message);
        }

        if (sent.Count > 0)
        {
            _health.Delivered();
            _logger.EventDelivered(kind, messages[0].Endpoint, tries, (long)(_time.GetUtcNow() - sent.Min(m => m.CreatedAt)).TotalMilliseconds);
        }

        DeliverySpans.Outcome(span, tries, "sent");
        return sent;
    }

    /// <summary>As <see cref="RetryOrGiveUpAsync"/> for a batch: one delay for all, so the messages are leased together again.</summary>
    private async Task RetryOrGiveUpBatchAsync(IReadOnlyList<ClerkOutboxMessage> messages, int tries, System.Diagnostics.Activity? span, Exception exception)
    {
        var kind = messages[0].Kind;
        var reason = DeliveryErrors.Describe(exception);
        var errorType = DeliveryErrors.ErrorType(exception);
        var now = _time.GetUtcNow();
        var delay = RetryDelay(tries, exception);
        var dueAt = now + delay;
        var retried = 0;
        foreach (var message in messages)
        {
            var age = now - message.CreatedAt;
            if (age >= _options.SaleGiveUpAfter)
            {
                _logger.SaleGivenUp(kind, message.OrderId, DeliveryPayload.LineCount(message.Body), message.Attempts + 1, age, reason);
                _logger.UndeliveredPayloadOf(message);
                await FailAsync(message, errorType, reason).ConfigureAwait(false);
                continue;
            }

            retried++;
            _metrics.Retried(kind, StoreName(message));
            try
            {
                await _outbox.RescheduleAsync(message, dueAt, reason, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                OutboxFailedFor(message, "reschedule a message", failure);
            }
        }

        if (retried == 0)
        {
            DeliverySpans.Outcome(span, tries, "given_up", errorType);
            return;
        }

        _logger.DeliveryRetrying(kind, messages[0].Endpoint, tries, reason, (long)delay.TotalMilliseconds);
        DeliverySpans.Outcome(span, tries, "retrying", errorType);
        lock (_retriesDue)
        {
            _retriesDue.Enqueue(0, dueAt);
        }
    }

    private async Task RetryOrGiveUpAsync(ClerkOutboxMessage message, int tries, System.Diagnostics.Activity? span, Exception exception)
    {
        var kind = message.Kind;
        var reason = DeliveryErrors.Describe(exception);
        var errorType = DeliveryErrors.ErrorType(exception);
        var now = _time.GetUtcNow();
        var age = now - message.CreatedAt;
        if (age >= _options.SaleGiveUpAfter)
        {
            _logger.SaleGivenUp(kind, message.OrderId, DeliveryPayload.LineCount(message.Body), tries, age, reason);
            _logger.UndeliveredPayloadOf(message);
            DeliverySpans.Outcome(span, tries, "given_up", errorType);
            await FailAsync(message, errorType, reason).ConfigureAwait(false);
            return;
        }

        var delay = RetryDelay(tries, exception);
        var dueAt = now + delay;
        _metrics.Retried(kind, StoreName(message));
        _logger.DeliveryRetrying(kind, message.Endpoint, tries, reason, (long)delay.TotalMilliseconds);
        DeliverySpans.Outcome(span, tries, "retrying", errorType);
        lock (_retriesDue)
        {
            _retriesDue.Enqueue(0, dueAt);
        }

        try
        {
            await _outbox.RescheduleAsync(message, dueAt, reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            OutboxFailedFor(message, "reschedule a message", failure);
        }
    }

    /// <summary>Exponential from the first retry delay, doubling per try, ±20% jitter, within the bounds; or Retry-After.</summary>
    private TimeSpan RetryDelay(int tries, Exception exception)
    {
        if (DeliveryErrors.RetryAfter(exception, _options) is { } retryAfter)
        {
            return retryAfter;
        }

        var first = _options.FirstRetryDelay.Ticks;
        var max = _options.MaxRetryDelay.Ticks;
        var exponential = Math.Min(max, first * Math.Pow(2, Math.Min(tries - 1, 40)));
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return TimeSpan.FromTicks(Math.Clamp((long)jittered, first, max));
    }

    /// <summary>Failed for good: kept in the outbox to be re-driven, counted, and its order released.</summary>
    private async Task FailAsync(ClerkOutboxMessage message, string errorType, string error)
    {
        try
        {
            await _outbox.MarkFailedAsync(message, error, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            OutboxFailedFor(message, "mark a message failed", failure);
        }

        var store = StoreOf(message);
        _metrics.DeliveryFailed(message.Kind, errorType, store?.Name);
        _health.Failed(store is null || _stores.IsSingle ? $"{message.Kind}: {errorType}" : $"{message.Kind} of the store '{store.Name}': {errorType}");
        _origins.Forget(message.Id);
        if (message.Kind == TrackedEvent.Sale.Name() && message.OrderId is { } orderId)
        {
            // Not sent, so not claimed: a fallback <clerk-sale> or a corrected TrackSaleAsync may send it.
            await OrderRelease.ReleaseAsync(_ledger, _logger, _metrics, message.Store, orderId).ConfigureAwait(false);
        }
    }

    // Stopping: the message is due again now, for a restarted worker or another instance, rather than at its lease's end.
    private async Task GiveBackAsync(ClerkOutboxMessage message)
    {
        try
        {
            await _outbox.RescheduleAsync(message, _time.GetUtcNow(), "not sent: the app stopped.", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            OutboxFailedFor(message, "give a message back", failure);
        }
    }

    /// <summary>The configured store a message belongs to; <see langword="null"/> for another store's.</summary>
    private ClerkStore? StoreOf(ClerkOutboxMessage message) => _stores.FindByPublicKey(message.Store);

    /// <summary>The name of a message's store, for the metrics' <c>clerk.store</c> tag (never its key).</summary>
    private string? StoreName(ClerkOutboxMessage message) => StoreOf(message)?.Name;

    private void OutboxFailedFor(ClerkOutboxMessage message, string operation, Exception exception)
    {
        _logger.OutboxFailed(OutboxName, operation, $"the {message.Kind} is taken up again when its lease runs out ({(long)_leaseDuration.TotalSeconds} s).", exception);
        _metrics.TrackingFailed(Stage);
    }

    protected override void RecordLeftovers()
    {
        if (_memory is null)
        {
            return;
        }

        // In memory, what is left dies with the process: logged, to send by hand.
        foreach (var message in _memory.Pending())
        {
            _logger.UndeliveredAtShutdown(message.Kind, message.OrderId, DeliveryPayload.LineCount(message.Body));
            _logger.UndeliveredPayloadOf(message);
        }
    }
}
