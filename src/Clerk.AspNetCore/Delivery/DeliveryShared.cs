using System.Diagnostics;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// The <c>clerk.delivery</c> span, shared by both workers (events and outbox): one per delivery, in a trace of its
/// own, linked to the span that tracked the event.
/// </summary>
internal static class DeliverySpans
{
    /// <summary>The name of the span of one event's delivery (docs/events.md).</summary>
    public const string Name = "clerk.delivery";

    /// <summary>
    /// Starts the span. A delivery can outlive the request that tracked the event by hours, so it links to that request
    /// instead of being its child; clearing the ambient span (only in the caller's async flow) keeps whatever started
    /// the worker from becoming its parent.
    /// </summary>
    public static Activity? Start(string kind, string endpoint, ActivityContext origin)
    {
        Activity.Current = null;
        var span = ClerkDiagnostics.ActivitySource.StartActivity(
            Name, ActivityKind.Internal, parentContext: default,
            links: origin == default ? null : [new ActivityLink(origin)]);
        span?.SetTag("clerk.event", kind);
        span?.SetTag("clerk.endpoint", endpoint);
        return span;
    }

    /// <summary>
    /// Ends the delivery span's story: the tries, the outcome and, on failure, the error type. Never the call's body,
    /// so no key, e-mail or visitor ID reaches a trace.
    /// </summary>
    public static void Outcome(Activity? span, int tries, string outcome, string? errorType = null)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("clerk.delivery.tries", tries);
        span.SetTag("clerk.delivery.outcome", outcome);
        if (errorType is not null)
        {
            span.SetTag("clerk.error.type", errorType);
            span.SetStatus(ActivityStatusCode.Error, errorType);
        }
    }
}

/// <summary>How both workers read a failed send: transient or not, its error type for metrics, its reason for logs.</summary>
internal static class DeliveryErrors
{
    /// <summary>
    /// Everything but Clerk's definite "no" is worth another try: an app's own handlers (a circuit breaker, an
    /// HttpClient timeout) throw types of their own, and a sale must not be given up on the first of those.
    /// </summary>
    public static bool IsTransient(Exception? exception) => exception switch
    {
        null => false,
        ClerkApiException api => api.IsTransient,
        _ => true,
    };

    /// <summary>Clerk's <c>Retry-After</c>, honoured between the first retry delay (a "0" must not make a tight loop) and the longest.</summary>
    public static TimeSpan? RetryAfter(Exception? exception, ClerkDeliveryOptions options) =>
        exception is ClerkApiException { RetryAfter: { } wait }
            ? TimeSpan.FromTicks(Math.Clamp(wait.Ticks, options.FirstRetryDelay.Ticks, options.MaxRetryDelay.Ticks))
            : null;

    public static string ErrorType(Exception exception) => exception switch
    {
        ClerkApiException api => api.Type.ToString(),
        TimeoutException => "Timeout",
        HttpRequestException => "Connection",
        OperationCanceledException => "Timeout",
        _ => "Unexpected",
    };

    public static string Describe(Exception? exception) => exception switch
    {
        ClerkApiException api => $"HTTP {api.StatusCode}, {api.Type}: {api.ClerkMessage}.",
        null => "no answer.",
        _ => exception.Message,
    };
}

/// <summary>Gives an order back to the sale ledger when its sale was not sent, so a fallback or a corrected call may send it.</summary>
internal static class OrderRelease
{
    public static async ValueTask ReleaseAsync(IClerkSaleLedger ledger, ILogger logger, ClerkMetrics metrics, string store, string orderId)
    {
        try
        {
            await ledger.ReleaseAsync(store, orderId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            SaleLedgerFailures.ReleaseFailed(logger, metrics, orderId, exception);
        }
    }
}
