namespace Clerk.AspNetCore;

/// <summary>
/// Who sends an order's sale to Clerk. Whichever it is, each order is sent once: the page and the server claim the
/// same <see cref="IClerkSaleLedger"/>.
/// </summary>
public enum ClerkSaleTracking
{
    /// <summary>
    /// The confirmation page's <c>&lt;clerk-sale&gt;</c>, sent by Clerk.js; <see cref="IClerkTracker.TrackSaleAsync"/>
    /// does nothing. Loses buyers whose browser never runs Clerk.js (ad blockers, consent tools, payment redirects).
    /// </summary>
    ClientSide,

    /// <summary>
    /// The server, from <see cref="IClerkTracker.TrackSaleAsync"/> (typically at checkout), with retries;
    /// <c>&lt;clerk-sale&gt;</c> renders no sale.
    /// </summary>
    ServerSide,

    /// <summary>
    /// The server, as <see cref="ServerSide"/>; <c>&lt;clerk-sale&gt;</c> renders the sale for any order the server did
    /// not send (a checkout path that does not call <see cref="IClerkTracker.TrackSaleAsync"/>, or a server-side sale
    /// that Clerk rejected or that was given up). Needs <see cref="ClerkIntegrationMode.ClerkJs"/>.
    /// </summary>
    ServerSideWithClientFallback,
}
