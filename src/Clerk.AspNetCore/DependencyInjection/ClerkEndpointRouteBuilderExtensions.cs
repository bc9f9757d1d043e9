using Clerk.AspNetCore;
using Clerk.AspNetCore.Delivery;
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
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <returns>The endpoint's builder, to add conventions such as rate limiting.</returns>
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

        return endpoints.MapPost(options.BeaconPath, ClickBeacon.HandleAsync)
            .WithDisplayName("Clerk click beacon")
            .DisableAntiforgery()
            .RequireRateLimiting(ClerkClickBeaconOptions.RateLimiterPolicyName);
    }
}
