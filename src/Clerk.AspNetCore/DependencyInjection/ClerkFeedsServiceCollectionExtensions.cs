using Clerk.AspNetCore;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.DependencyInjection;
using Clerk.AspNetCore.Feeds;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

        services.AddClerkFeedEndpoints();

        // Real-time sync: changes go to the outbox; its worker hands them to the sender, which reads the product source.
        services.TryAddSingleton<IClerkCatalogSync, ClerkCatalogSync>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxBatchSender, CatalogSyncSender>());
        return new ClerkFeedsBuilder(services);
    }
}
