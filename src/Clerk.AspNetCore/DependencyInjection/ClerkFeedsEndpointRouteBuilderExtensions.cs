using Clerk.AspNetCore;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.DependencyInjection;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Feeds;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the data feeds that Clerk's importer pulls.</summary>
public static class ClerkFeedsEndpointRouteBuilderExtensions
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Post];

    /// <summary>
    /// Maps <c>GET</c> and <c>POST</c> <c>{Clerk:Feeds:PathPrefix}/product</c>, <c>/category</c>, <c>/order</c> and
    /// <c>/customer</c> (prefix <c>/clerk</c> by default), each only when its source is registered
    /// (<c>services.AddClerkFeeds().AddProducts&lt;T&gt;()</c> ...). Clerk's importer authenticates with <c>key</c> and
    /// <c>private_key</c> (or a bearer token checked by an <see cref="IClerkFeedTokenVerifier"/>) and pages with
    /// <c>page</c> and <c>limit</c>; orders also take <c>start_date</c> and <c>end_date</c>. Each page is a JSON array,
    /// streamed. Bad credentials get 403, bad arguments 400, more requests than <see cref="ClerkFeedOptions.PermitLimit"/>
    /// per client address 429 (the rate limiter policy <see cref="ClerkFeedOptions.RateLimiterPolicyName"/>, enforced by
    /// the feeds themselves without <c>app.UseRateLimiter()</c>). While Clerk is turned off the feeds answer 404.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <returns>The feeds' route group, to add conventions (for example a host or an authorization policy).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// <c>services.AddClerk(...)</c> or <c>services.AddClerkFeeds()</c> was not called, or no feed source is registered.
    /// </exception>
    public static IEndpointConventionBuilder MapClerkFeeds(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<ClerkMarkerService>() is null || services.GetService<IOptions<ClerkOptions>>() is null)
        {
            throw new InvalidOperationException(
                "MapClerkFeeds() needs the Clerk services. Call builder.Services.AddClerk(builder.Configuration) and builder.Services.AddClerkFeeds().AddProducts<YourProductSource>() in Program.cs before building the app.");
        }

        if (services.GetService<ClerkFeedsMarkerService>() is null)
        {
            throw new InvalidOperationException(
                "MapClerkFeeds() needs the feeds' services and sources. Call builder.Services.AddClerkFeeds().AddProducts<YourProductSource>() (and AddCategories, AddOrders, AddCustomers as the shop has them) in Program.cs before building the app.");
        }

        var registered = services.GetRequiredService<IServiceProviderIsService>();
        var kinds = FeedKinds.All.Where(kind => registered.IsService(kind.SourceType)).ToList();
        if (kinds.Count == 0)
        {
            throw new InvalidOperationException(
                "MapClerkFeeds() found no feed source. Register the shop's sources on AddClerkFeeds(): .AddProducts<TSource>() (an IClerkProductSource), .AddCategories<TSource>(), .AddOrders<TSource>(), and .AddCustomers<TSource>() only to share customers with Clerk.");
        }

        var clerk = services.GetRequiredService<IOptions<ClerkOptions>>().Value;
        var prefix = clerk.Feeds.PathPrefix.Length > 1 ? clerk.Feeds.PathPrefix.TrimEnd('/') : clerk.Feeds.PathPrefix;
        if (clerk.Enabled)
        {
            WarnOfStoresWithoutPrivateKey(services, clerk, prefix);
        }

        var endpoint = services.GetRequiredService<FeedEndpoint>();
        var group = endpoints.MapGroup(prefix);
        foreach (var kind in kinds)
        {
            group.MapMethods("/" + kind.Name, Methods, context => endpoint.HandleAsync(context, kind))
                .WithDisplayName($"Clerk {kind.Name} feed");
        }

        return group
            .DisableAntiforgery()
            .ExcludeFromDescription()
            .RequireRateLimiting(ClerkFeedOptions.RateLimiterPolicyName);
    }

    /// <summary>
    /// A store without a private key cannot serve its feeds (the importer authenticates with it): said once, at start,
    /// naming the stores, rather than as a 403 in every import. Not an error that stops the app: a shop may add a store
    /// whose feeds Clerk does not import yet.
    /// </summary>
    private static void WarnOfStoresWithoutPrivateKey(IServiceProvider services, ClerkOptions clerk, string prefix)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FeedEndpoint).FullName!);
        var stores = services.GetRequiredService<ClerkStoreSet>();
        if (stores.IsShortForm)
        {
            if (string.IsNullOrEmpty(clerk.PrivateKey))
            {
                logger.FeedPrivateKeyMissing(prefix);
            }

            return;
        }

        var without = stores.All.Where(s => !s.HasPrivateKey).Select(s => s.Name).ToList();
        if (without.Count > 0)
        {
            logger.FeedStorePrivateKeyMissing(prefix, string.Join(", ", without));
        }
    }
}
