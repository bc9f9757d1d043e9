using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Clerk.AspNetCore;

/// <summary>
/// Registers the sources of the data feeds (<c>services.AddClerkFeeds()</c>). A feed is mapped by
/// <c>app.MapClerkFeeds()</c> only when its source is registered; the customer feed only on purpose. Registering a
/// source again replaces it. Sources are scoped: one per feed request.
/// </summary>
public sealed class ClerkFeedsBuilder
{
    /// <summary>Creates the builder over the app's services.</summary>
    /// <param name="services">The app's services.</param>
    public ClerkFeedsBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>Gets the app's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses <typeparamref name="TSource"/> for the product feed and for real-time sync.</summary>
    /// <typeparam name="TSource">The shop's product source.</typeparam>
    /// <returns>This builder.</returns>
    public ClerkFeedsBuilder AddProducts<TSource>()
        where TSource : class, IClerkProductSource
    {
        Services.Replace(ServiceDescriptor.Scoped<IClerkProductSource, TSource>());
        return this;
    }

    /// <summary>Uses <typeparamref name="TSource"/> for the category feed.</summary>
    /// <typeparam name="TSource">The shop's category source.</typeparam>
    /// <returns>This builder.</returns>
    public ClerkFeedsBuilder AddCategories<TSource>()
        where TSource : class, IClerkFeedSource<ClerkFeedCategory>
    {
        Services.Replace(ServiceDescriptor.Scoped<IClerkFeedSource<ClerkFeedCategory>, TSource>());
        return this;
    }

    /// <summary>Uses <typeparamref name="TSource"/> for the order feed.</summary>
    /// <typeparam name="TSource">The shop's order source.</typeparam>
    /// <returns>This builder.</returns>
    public ClerkFeedsBuilder AddOrders<TSource>()
        where TSource : class, IClerkFeedSource<ClerkFeedOrder>
    {
        Services.Replace(ServiceDescriptor.Scoped<IClerkFeedSource<ClerkFeedOrder>, TSource>());
        return this;
    }

    /// <summary>
    /// Uses <typeparamref name="TSource"/> for the customer feed, which is mapped only when this is called: customers
    /// are personal data, shared with Clerk only on purpose.
    /// </summary>
    /// <typeparam name="TSource">The shop's customer source.</typeparam>
    /// <returns>This builder.</returns>
    public ClerkFeedsBuilder AddCustomers<TSource>()
        where TSource : class, IClerkFeedSource<ClerkFeedCustomer>
    {
        Services.Replace(ServiceDescriptor.Scoped<IClerkFeedSource<ClerkFeedCustomer>, TSource>());
        return this;
    }
}
