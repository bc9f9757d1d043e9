using Clerk.AspNetCore;
using Clerk.AspNetCore.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the data feeds Clerk's importer pulls, and real-time catalog sync.</summary>
public static class ClerkFeedsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the feeds' services and real-time sync (<see cref="IClerkCatalogSync"/>); register the sources on the
    /// returned builder, then map the endpoints with <c>app.MapClerkFeeds()</c>. Settings come from <c>Clerk:Feeds</c>
    /// (<see cref="ClerkOptions.Feeds"/>). Calling it again is harmless.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <returns>A builder to register the feeds' sources.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static ClerkFeedsBuilder AddClerkFeeds(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The feed endpoints, sync and their internal services are registered here (issue 17).
        services.AddClerkFeedEndpoints();
        return new ClerkFeedsBuilder(services);
    }
}
