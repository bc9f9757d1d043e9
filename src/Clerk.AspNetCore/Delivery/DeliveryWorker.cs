using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// Sends queued clicks, views and e-mails to Clerk, <see cref="ClerkDeliveryOptions.MaxConcurrency"/> at a time,
/// retrying transient failures with exponential back-off and jitter (Polly), as long as <c>Retry-After</c> asks, up to
/// <see cref="ClerkDeliveryOptions.MaxEventAttempts"/> tries. When the app stops, it goes on sending what is queued
/// until the host's shutdown timeout. Sales and returns are <see cref="OutboxWorker"/>'s. Each event's body carries
/// the public key of the store it was tracked for, and none of these calls needs a private key, so one worker sends
/// every store's events as they are.
/// </summary>
internal sealed class DeliveryWorker : DeliveryBackgroundService
{
    private static readonly ResiliencePropertyKey<DeliveryEvent> EventKey = new("Clerk.AspNetCore.Event");

    private readonly DeliveryQueue _queue;
    private readonly IHttpClientFactory _httpClients;
    private readonly ClerkCalls _calls;
    private readonly ClerkMetrics _metrics;
    private readonly DeliveryHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClerkDeliveryOptions _options;
    private readonly ResiliencePipeline _pipeline;

    public DeliveryWorker(
        DeliveryQueue queue,
        IHttpClientFactory httpClients,
        ClerkCalls calls,
        ClerkMetrics metrics,
        DeliveryHealth health,
        TimeProvider time,
        IOptions<ClerkOptions> options,
        ILogger<DeliveryWorker> logger)
        : base(time)
    {
        _queue = queue;
        _httpClients = httpClients;
        _calls = calls;
        _metrics = metrics;
        _health = health;
        _time = time;
        _logger = logger;
        _options = options.Value.Delivery;
        _pipeline = BuildPipeline(_options.MaxEventAttempts - 1);
    }

    // The send loops flush as they end, but a host stopped right after it started may cancel ExecuteAsync before it
    // ever ran: whatever is still queued is sent here, within the same timeout.
    protected override Task FinishAsync()
    {
        var flushers = new Task[_options.MaxConcurrency];
        for (var i = 0; i < flushers.Length; i++)
        {
            flushers[i] = Task.Run(FlushAsync, CancellationToken.None);
        }

        return Task.WhenAll(flushers);
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
        while (!Abandon.IsCancellationRequested && _queue.TryRead(out var item))
        {
            await DeliverAsync(item).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(DeliveryEvent item)
    {
        var kind = item.Kind.Name();

        // One span per delivery, retries included.
        using var span = DeliverySpans.Start(kind, item.Call.Endpoint, item.Origin);
        var context = ResilienceContextPool.Shared.Get(Abandon);
        context.Properties.Set(EventKey, item);
        try
        {
            await _pipeline.ExecuteAsync(
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
            _metrics.Sent(kind, latency, item.Store);
            _health.Delivered();
            _logger.EventDelivered(kind, item.Call.Endpoint, item.Attempts, (long)latency.TotalMilliseconds);
            DeliverySpans.Outcome(span, item.Attempts, "sent");
        }
        catch (Exception) when (Abandon.IsCancellationRequested)
        {
            // The shutdown timeout ran out mid-send: keep it queued for the count at shutdown (and a restarted worker).
            _queue.Return(item);
            DeliverySpans.Outcome(span, item.Attempts, "abandoned");
        }
        catch (ClerkApiException exception) when (!exception.IsTransient)
        {
            _logger.DeliveryRejected(kind, item.Call.Endpoint, "none (not a sale)", 0, exception.Type, exception.ClerkMessage, exception.ErrorId);
            DeliverySpans.Outcome(span, item.Attempts, "rejected", exception.Type.ToString());
            Failed(item, exception.Type.ToString());
        }
        catch (Exception exception)
        {
            // Transient failures past their tries, and anything an app's handler in the HttpClient pipeline throws:
            // the worker goes on with the next event.
            _logger.EventDropped(kind, $"every one of {item.Attempts} tries failed; the last with: {DeliveryErrors.Describe(exception)}");
            _metrics.Dropped(kind, "retries_exhausted", item.Store);
            var errorType = DeliveryErrors.ErrorType(exception);
            DeliverySpans.Outcome(span, item.Attempts, "dropped", errorType);
            Failed(item, errorType);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Failed(DeliveryEvent item, string errorType)
    {
        _metrics.DeliveryFailed(item.Kind.Name(), errorType, item.Store);
        _health.Failed($"{item.Kind.Name()}: {errorType}");
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
            DelayGenerator = args => ValueTask.FromResult(DeliveryErrors.RetryAfter(args.Outcome.Exception, _options)),
            OnRetry = args =>
            {
                if (args.Context.Properties.TryGetValue(EventKey, out var item))
                {
                    _metrics.Retried(item.Kind.Name(), item.Store);
                    _logger.DeliveryRetrying(
                        item.Kind.Name(), item.Call.Endpoint, item.Attempts, DeliveryErrors.Describe(args.Outcome.Exception), (long)args.RetryDelay.TotalMilliseconds);
                }

                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    private static bool ShouldRetry(Exception? exception, ResilienceContext context) =>
        DeliveryErrors.IsTransient(exception) && !context.CancellationToken.IsCancellationRequested;

    protected override void RecordLeftovers()
    {
        var dropped = _queue.Count;
        if (dropped > 0)
        {
            _logger.DroppedAtShutdown(dropped);
        }
    }
}
