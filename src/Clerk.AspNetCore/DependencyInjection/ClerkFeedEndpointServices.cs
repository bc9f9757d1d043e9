using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Feeds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Clerk.AspNetCore.DependencyInjection;

/// <summary>Registered by <c>AddClerkFeeds</c>, so that <c>MapClerkFeeds</c> can tell that the feeds' services are there.</summary>
internal sealed class ClerkFeedsMarkerService;

/// <summary>The services of the feed endpoints (<c>MapClerkFeeds</c>), added by <c>AddClerkFeeds</c>.</summary>
internal static class ClerkFeedEndpointServices
{
    public static void AddClerkFeedEndpoints(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ClerkFeedsMarkerService)))
        {
            return;
        }

        services.AddSingleton<ClerkFeedsMarkerService>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FeedMetrics>();
        services.TryAddSingleton<ProductIdTypes>();
        services.TryAddSingleton<FeedBaseAddress>();
        services.TryAddSingleton<FeedAuthenticator>();
        services.TryAddSingleton<FeedRateLimiter>();
        services.TryAddSingleton<FeedEndpoint>();

        // The feeds' policy for app.UseRateLimiter(); PostConfigure, so an app's own policy of that name wins (the
        // feeds limit requests themselves when the middleware does not), as for the click beacon.
        services.AddRateLimiter();
        services.AddOptions<RateLimiterOptions>().PostConfigure<FeedRateLimiter>((o, limiter) => limiter.RegisterIn(o));
    }
}
