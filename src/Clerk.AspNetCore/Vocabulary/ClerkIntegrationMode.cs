namespace Clerk.AspNetCore;

/// <summary>How the shop shows Clerk's results, which decides what the browser runs.</summary>
public enum ClerkIntegrationMode
{
    /// <summary>
    /// Clerk.js in the browser (the default): <c>&lt;clerk-script&gt;</c> loads it, it renders
    /// <c>&lt;clerk-content&gt;</c> blocks and logs clicks and sales.
    /// </summary>
    ClerkJs,

    /// <summary>
    /// An API setup: the shop asks Clerk for results on the server (<see cref="IClerkClient"/>) and renders them
    /// itself. No Clerk.js: <c>&lt;clerk-script&gt;</c> renders a small script that posts clicks to the click beacon
    /// (<c>app.MapClerkTracking()</c>), and sales are sent from the server.
    /// </summary>
    Api,
}
