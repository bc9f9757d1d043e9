using Clerk.AspNetCore;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Clerk.AspNetCore.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoints of Clerk.io API setups.</summary>
public static class ClerkEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the click beacon, <c>POST</c> <see cref="ClerkOptions.BeaconPath"/> (<c>/clerk/click</c>), which takes
    /// <c>{product, labels, api, position}</c> from the API-mode script of <c>&lt;clerk-script&gt;</c> and queues the
    /// click with the request's visitor (never one from the body). It answers 204, 400 with the reason, 403 for a click
    /// from another origin, or 429 over the per-client limit (<see cref="ClerkOptions.ClickBeacon"/>; the rate limiter
    /// policy <see cref="ClerkClickBeaconOptions.RateLimiterPolicyName"/>, enforced by the beacon itself without
    /// <c>app.UseRateLimiter()</c>). Bodies are limited to 4 KiB. Safe to map in every mode; it does nothing while Clerk
    /// is turned off. Map it after <c>UseClerkTracking()</c>.
    /// It also maps the visitor endpoint, <c>GET</c> <see cref="ClerkOptions.VisitorPath"/> (<c>/clerk/visitor</c>), which
    /// answers <c>{"visitor": ...}</c> for the consent the request carries now (and sets or deletes the visitor cookie
    /// like any page), so that <c>&lt;clerk-script&gt;</c> can give Clerk.js the new visitor when a consent tool reports
    /// a change (<c>AddClerkConsentTool</c>). It is never cached (<c>Cache-Control: no-store</c>).
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <returns>The click beacon's builder, to add conventions such as rate limiting.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><c>services.AddClerk(...)</c> was not called.</exception>
    public static IEndpointConventionBuilder MapClerkTracking(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetService<IOptions<ClerkOptions>>()?.Value;
        if (options is null || endpoints.ServiceProvider.GetService<ClerkMarkerService>() is null)
        {
            throw new InvalidOperationException(
                "MapClerkTracking() needs the Clerk services. Call builder.Services.AddClerk(builder.Configuration) in Program.cs before building the app.");
        }

        endpoints.MapGet(options.VisitorPath, VisitorEndpoint.HandleAsync)
            .WithDisplayName("Clerk visitor")
            .WithMetadata(new ClerkTrackingEndpoint(ClerkTrackingEndpoint.Visitor));

        return endpoints.MapPost(options.BeaconPath, ClickBeacon.HandleAsync)
            .WithDisplayName("Clerk click beacon")
            .WithMetadata(new ClerkTrackingEndpoint(ClerkTrackingEndpoint.Beacon))
            .DisableAntiforgery()
            .RequireRateLimiting(ClerkClickBeaconOptions.RateLimiterPolicyName);
    }
}
