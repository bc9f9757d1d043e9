namespace Clerk.AspNetCore;

/// <summary>
/// How the click beacon (<c>app.MapClerkTracking()</c>) limits each client: a fixed window of
/// <see cref="PermitLimit"/> clicks per <see cref="Window"/> per client IP address, so one client cannot flood the
/// shop's Clerk data or its delivery queue.
/// </summary>
public sealed class ClerkClickBeaconOptions
{
    /// <summary>
    /// The name of the ASP.NET Core rate limiter policy that <c>AddClerk</c> registers and <c>MapClerkTracking()</c>
    /// requires. Register your own policy under this name (<c>services.AddRateLimiter(o => o.AddPolicy(...))</c>, with
    /// <c>app.UseRateLimiter()</c>) to replace the built-in one.
    /// </summary>
    public const string RateLimiterPolicyName = "Clerk.ClickBeacon";

    /// <summary>How many clicks one client IP address may post per <see cref="Window"/>; more are answered 429.</summary>
    /// <value>Defaults to 100; from 1 to 100,000. Visitors behind one address (an office, a mobile carrier) share it.</value>
    public int PermitLimit { get; set; } = 100;

    /// <summary>The window <see cref="PermitLimit"/> counts in.</summary>
    /// <value>Defaults to 1 minute; from 1 second to 1 hour.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
