using System.Diagnostics;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// Sends queued events to Clerk, <see cref="ClerkDeliveryOptions.MaxConcurrency"/> at a time, retrying transient
/// failures with exponential back-off and jitter (Polly), as long as <c>Retry-After</c> asks. Sales and returns are
/// retried until delivered or <see cref="ClerkDeliveryOptions.SaleGiveUpAfter"/>; the rest up to
/// <see cref="ClerkDeliveryOptions.MaxEventAttempts"/> tries. When the app stops, it goes on sending what is queued
/// until the host's shutdown timeout.
/// </summary>
internal sealed class DeliveryWorker : BackgroundService
{
    private static readonly ResiliencePropertyKey<DeliveryEvent> EventKey = new("Clerk.AspNetCore.Event");
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(2);

    /// <summary>The name of the span of one event's delivery (docs/events.md).</summary>
    private const string DeliverySpan = "clerk.delivery";

    private readonly DeliveryQueue _queue;
    private readonly IHttpClientFactory _httpClients;
    private readonly ClerkCalls _calls;
    private readonly IClerkSaleLedger _ledger;
    private readonly ClerkMetrics _metrics;
    private readonly DeliveryHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClerkDeliveryOptions _options;
    private readonly ResiliencePipeline _salePipeline;
    private readonly ResiliencePipeline _eventPipeline;

    // Cancelled when the host's shutdown timeout runs out: only then is a send in progress abandoned.
    private readonly CancellationTokenSource _abandon = new();

    public DeliveryWorker(
        DeliveryQueue queue,
        IHttpClientFactory httpClients,
        ClerkCalls calls,
        IClerkSaleLedger ledger,
        ClerkMetrics metrics,
        DeliveryHealth health,
        TimeProvider time,
        IOptions<ClerkOptions> options,
        ILogger<DeliveryWorker> logger)
    {
        _queue = queue;
        _httpClients = httpClients;
        _calls = calls;
        _ledger = ledger;
        _metrics = metrics;
        _health = health;
        _time = time;
        _logger = logger;
        _options = options.Value.Delivery;
        _salePipeline = BuildPipeline(int.MaxValue);
        _eventPipeline = BuildPipeline(_options.MaxEventAttempts - 1);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _queue.Reopen();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // From now on a tracked sale is logged rather than queued: nothing would send it.
        _queue.Close();
        using (cancellationToken.Register(_abandon.Cancel))
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);

            // The send loops flush as they end, but a host stopped right after it started may cancel ExecuteAsync
            // before it ever ran: whatever is still queued is sent here, within the same timeout.
            var flushers = new Task[_options.MaxConcurrency];
            for (var i = 0; i < flushers.Length; i++)
            {
                flushers[i] = Task.Run(FlushAsync, CancellationToken.None);
            }

            await Task.WhenAll(flushers).ConfigureAwait(false);
        }

        // If the timeout ran out, the abandoned sends put their events back within moments: wait for that, so the
        // record below is complete.
        if (ExecuteTask is { IsCompleted: false } running)
        {
            _abandon.Cancel();
            await running.WaitAsync(AbandonGrace, _time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        RecordLeftovers();
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var senders = new Task[_options.MaxConcurrency];
        for (var i = 0; i < senders.Length; i++)
        {
            senders[i] = Task.Run(() => SendLoopAsync(stoppingToken), CancellationToken.None);
        }

        return Task.WhenAll(senders);
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DeliveryEvent item;
            try
            {
                item = await _queue.ReadAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            await DeliverAsync(item).ConfigureAwait(false);
        }

        await FlushAsync().ConfigureAwait(false);
    }

    // Stopping: send what is left until the queue is empty or the shutdown timeout abandons the rest.
    private async Task FlushAsync()
    {
        while (!_abandon.IsCancellationRequested && _queue.TryRead(out var item))
        {
            await DeliverAsync(item).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(DeliveryEvent item)
    {
        var kind = item.Kind.Name();

        // One span per delivery, retries included, in a trace of its own: it can outlive the request that tracked the
        // event by hours, so it links to that request instead of being its child. Clearing the ambient span (only in
        // this method's flow) keeps whatever started the worker from becoming its parent.
        Activity.Current = null;
        using var span = ClerkDiagnostics.ActivitySource.StartActivity(
            DeliverySpan, ActivityKind.Internal, parentContext: default,
            links: item.Origin == default ? null : [new ActivityLink(item.Origin)]);
        span?.SetTag("clerk.event", kind);
        span?.SetTag("clerk.endpoint", item.Call.Endpoint);

        var context = ResilienceContextPool.Shared.Get(_abandon.Token);
        context.Properties.Set(EventKey, item);
        try
        {
            var pipeline = item.Kind.MustDeliver() ? _salePipeline : _eventPipeline;
            await pipeline.ExecuteAsync(
                static async (context, state) =>
                {
                    var (worker, item) = state;
                    item.Attempts++;
                    var client = ClerkClient.Create(worker._httpClients, worker._calls, worker._time);
                    using var answer = await client.SendAsync(item.Call, context.CancellationToken).ConfigureAwait(false);
                },
                context,
                (this, item)).ConfigureAwait(false);

            var latency = _time.GetElapsedTime(item.TrackedAt);
            _metrics.Sent(kind, latency);
            _health.Delivered();
            if (item.Kind == TrackedEvent.Sale)
            {
                _health.SaleSent();
            }

            _logger.EventDelivered(kind, item.Call.Endpoint, item.Attempts, (long)latency.TotalMilliseconds);
            Outcome(span, item, "sent");
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            // The shutdown timeout ran out mid-send: keep it queued for the record (and for a restarted worker).
            _queue.Return(item);
            Outcome(span, item, "abandoned");
        }
        catch (ClerkApiException exception) when (!exception.IsTransient)
        {
            _logger.DeliveryRejected(kind, item.Call.Endpoint, item.OrderId ?? "none (not a sale)", item.LineCount, exception.Type, exception.ClerkMessage, exception.ErrorId);
            _logger.UndeliveredPayloadOf(item);
            Outcome(span, item, "rejected", exception.Type.ToString());
            await FailedAsync(item, exception.Type.ToString()).ConfigureAwait(false);
        }
        catch (Exception) when (_abandon.IsCancellationRequested)
        {
            // The shutdown timeout ran out during a failing try: recorded as undelivered at shutdown, not given up.
            _queue.Return(item);
            Outcome(span, item, "abandoned");
        }
        catch (Exception exception)
        {
            // Transient failures past their tries or age, and anything an app's handler in the HttpClient pipeline
            // throws: the worker goes on with the next event.
            var reason = Describe(exception);
            if (item.Kind.MustDeliver())
            {
                _logger.SaleGivenUp(kind, item.OrderId, item.LineCount, item.Attempts, _time.GetElapsedTime(item.TrackedAt), reason);
                _logger.UndeliveredPayloadOf(item);
            }
            else
            {
                _logger.EventDropped(kind, $"every one of {item.Attempts} tries failed; the last with: {reason}");
                _metrics.Dropped(kind, "retries_exhausted");
            }

            Outcome(span, item, item.Kind.MustDeliver() ? "given_up" : "dropped", ErrorType(exception));

            await FailedAsync(item, ErrorType(exception)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Ends the delivery span's story: the tries, the outcome and, on failure, the error type. Never the call's body,
    /// so no key, e-mail or visitor ID reaches a trace.
    /// </summary>
    private static void Outcome(Activity? span, DeliveryEvent item, string outcome, string? errorType = null)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("clerk.delivery.tries", item.Attempts);
        span.SetTag("clerk.delivery.outcome", outcome);
        if (errorType is not null)
        {
            span.SetTag("clerk.error.type", errorType);
            span.SetStatus(ActivityStatusCode.Error, errorType);
        }
    }

    private async Task FailedAsync(DeliveryEvent item, string errorType)
    {
        _metrics.DeliveryFailed(item.Kind.Name(), errorType);
        _health.Failed($"{item.Kind.Name()}: {errorType}");
        if (item.Kind == TrackedEvent.Sale && item.OrderId is { } orderId)
        {
            // Not sent, so not claimed: a fallback <clerk-sale> or a corrected TrackSaleAsync may send it.
            try
            {
                await _ledger.ReleaseAsync(orderId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                SaleLedgerFailures.ReleaseFailed(_logger, _metrics, orderId, exception);
            }
        }
    }

    private ResiliencePipeline BuildPipeline(int maxRetries)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (maxRetries < 1)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.FirstRetryDelay,
            MaxDelay = _options.MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context)),
            // Retry-After is honoured between FirstRetryDelay (a "0" must not make a tight loop) and MaxRetryDelay.
            DelayGenerator = args => ValueTask.FromResult(
                args.Outcome.Exception is ClerkApiException { RetryAfter: { } wait }
                    ? (TimeSpan?)TimeSpan.FromTicks(Math.Clamp(wait.Ticks, _options.FirstRetryDelay.Ticks, _options.MaxRetryDelay.Ticks))
                    : null),
            OnRetry = args =>
            {
                if (args.Context.Properties.TryGetValue(EventKey, out var item))
                {
                    _metrics.Retried(item.Kind.Name());
                    _logger.DeliveryRetrying(
                        item.Kind.Name(), item.Call.Endpoint, item.Attempts, Describe(args.Outcome.Exception), (long)args.RetryDelay.TotalMilliseconds);
                }

                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    private bool ShouldRetry(Exception? exception, ResilienceContext context)
    {
        // Everything but Clerk's definite "no" can pass: an app's own handlers (a circuit breaker, an HttpClient
        // timeout) throw types of their own, and a sale must not be given up on the first of those.
        var transient = exception switch
        {
            null => false,
            ClerkApiException api => api.IsTransient,
            _ => true,
        };

        return transient
            && !context.CancellationToken.IsCancellationRequested
            && context.Properties.TryGetValue(EventKey, out var item)
            && (!item.Kind.MustDeliver() || _time.GetElapsedTime(item.TrackedAt) < _options.SaleGiveUpAfter);
    }

    private void RecordLeftovers()
    {
        var pending = _queue.PendingMustDeliver();
        foreach (var item in pending)
        {
            _logger.UndeliveredAtShutdown(item.Kind.Name(), item.OrderId, item.LineCount);
            _logger.UndeliveredPayloadOf(item);
        }

        var dropped = _queue.DroppableCount;
        if (dropped > 0)
        {
            _logger.DroppedAtShutdown(dropped);
        }
    }

    private static string ErrorType(Exception exception) => exception switch
    {
        ClerkApiException api => api.Type.ToString(),
        TimeoutException => "Timeout",
        HttpRequestException => "Connection",
        OperationCanceledException => "Timeout",
        _ => "Unexpected",
    };

    private static string Describe(Exception? exception) => exception switch
    {
        ClerkApiException api => $"HTTP {api.StatusCode}, {api.Type}: {api.ClerkMessage}.",
        null => "no answer.",
        _ => exception.Message,
    };
}
