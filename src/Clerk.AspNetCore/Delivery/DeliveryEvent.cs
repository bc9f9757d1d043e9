using System.Diagnostics;
using Clerk.AspNetCore.Api;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// A click, view or e-mail on its way to Clerk: the call, built and checked when it was tracked. Sales and returns do
/// not travel this way: they are <see cref="ClerkOutboxMessage"/>s in the <see cref="IClerkOutbox"/>.
/// </summary>
internal sealed class DeliveryEvent(TrackedEvent kind, ClerkCall call, long trackedAt, ActivityContext origin = default, string? store = null)
{
    public TrackedEvent Kind { get; } = kind;

    public ClerkCall Call { get; } = call;

    /// <summary>When it was tracked, as a <see cref="TimeProvider"/> timestamp; for the latency.</summary>
    public long TrackedAt { get; } = trackedAt;

    /// <summary>
    /// The span that was current when the event was tracked (usually the shop's request), or <see langword="default"/>:
    /// the delivery span links to it, so a trace shows which request caused which call to Clerk.
    /// </summary>
    public ActivityContext Origin { get; } = origin;

    /// <summary>
    /// The name of the Clerk store it was tracked for (its body already carries that store's public key), for the
    /// metrics' <c>clerk.store</c> tag; <see langword="null"/> when unknown.
    /// </summary>
    public string? Store { get; } = store;

    /// <summary>How many times it was sent so far.</summary>
    public int Attempts { get; set; }
}
