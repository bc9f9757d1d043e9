namespace Clerk.AspNetCore;

/// <summary>What <see cref="IClerkTracker.TrackSaleAsync"/> did with a sale.</summary>
public enum ClerkSaleTrackingResult
{
    /// <summary>The order was claimed and its sale queued for delivery.</summary>
    Queued,

    /// <summary>The order was sent before (by the server or by <c>&lt;clerk-sale&gt;</c>); nothing was queued.</summary>
    AlreadySent,

    /// <summary><see cref="ClerkOptions.SaleTracking"/> is <see cref="ClerkSaleTracking.ClientSide"/>: the confirmation page sends it.</summary>
    LeftToPage,

    /// <summary>The sale breaks one of Clerk's rules (logged as event 37; in Development this throws instead).</summary>
    Invalid,

    /// <summary>Clerk is turned off (<see cref="ClerkOptions.Enabled"/>).</summary>
    Disabled,

    /// <summary>
    /// The sale could not be written to the <see cref="IClerkOutbox"/>: the app is stopping, the in-memory outbox is
    /// full (event 35), or the outbox failed (event 44; Development throws instead). The sale is logged with its
    /// payload (event 42 at Debug), to send by hand, and its order released.
    /// </summary>
    NotQueued,
}
