using System.Diagnostics;
using Clerk.AspNetCore.Api;

namespace Clerk.AspNetCore.Delivery;

/// <summary>A tracked event on its way to Clerk: the call, built and checked when it was tracked.</summary>
internal sealed class DeliveryEvent(TrackedEvent kind, ClerkCall call, long trackedAt, string? orderId = null, ActivityContext origin = default)
{
    public TrackedEvent Kind { get; } = kind;

    public ClerkCall Call { get; } = call;

    /// <summary>When it was tracked, as a <see cref="TimeProvider"/> timestamp; for the give-up age and the latency.</summary>
    public long TrackedAt { get; } = trackedAt;

    /// <summary>
    /// The span that was current when the event was tracked (usually the shop's request), or <see langword="default"/>:
    /// the delivery span links to it, so a trace shows which request caused which call to Clerk.
    /// </summary>
    public ActivityContext Origin { get; } = origin;

    /// <summary>The order of a sale or a return.</summary>
    public string? OrderId { get; } = orderId;

    /// <summary>
    /// For sales and returns: the call without keys, e-mail masked, to log when it cannot be delivered. Built only
    /// then, since almost every event is delivered.
    /// </summary>
    public string? Payload => Kind.MustDeliver() ? DeliveryPayload.Describe(Call.Body) : null;

    /// <summary>The number of order lines of a sale (a return is one line); 0 for other events. For the error logs.</summary>
    public int LineCount => Kind.MustDeliver() ? DeliveryPayload.LineCount(Call.Body) : 0;

    /// <summary>How many times it was sent so far.</summary>
    public int Attempts { get; set; }
}
