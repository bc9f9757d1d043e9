namespace Clerk.AspNetCore;

/// <summary>
/// How the current request is identified to Clerk.
/// </summary>
public enum ClerkVisitorMode
{
    /// <summary>
    /// No visitor ID: Clerk receives <c>visitor: null</c> everywhere. Sales are still recorded, without attribution.
    /// </summary>
    Disabled = 0,

    /// <summary>
    /// A server-derived visitor ID (a keyed hash of IP address, User-Agent and host under a salt that changes every
    /// UTC day). Nothing is stored on the device.
    /// </summary>
    Cookieless = 1,

    /// <summary>A random visitor ID kept in the visitor cookie, for visitors who consented.</summary>
    Persistent = 2,
}
