using Clerk.AspNetCore;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Sales;
using Clerk.AspNetCore.TagHelpers.Markup;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.DependencyInjection;
using Clerk.AspNetCore.Health;
using Clerk.AspNetCore.Privacy;
using Clerk.AspNetCore.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Clerk.io integration.</summary>
public static class ClerkServiceCollectionExtensions
{
    /// <summary>
    /// Adds Clerk.io tracking with options bound from configuration. Pass either the app's configuration (its
    /// <c>Clerk</c> section is used) or the section to bind, such as <c>GetSection("Clerk")</c>. The options are validated when the host starts.
    /// Calling this more than once adds no services twice.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration"><c>builder.Configuration</c>, or <c>builder.Configuration.GetSection("Clerk")</c>.</param>
    /// <returns>The same <paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddClerk(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // A section is taken as the Clerk section itself; the app's whole configuration means its "Clerk" section.
        var section = configuration as IConfigurationSection ?? configuration.GetSection(ClerkOptions.SectionName);

        services.AddOptions<ClerkOptions>().Bind(section);
        return services.AddClerkCore();
    }

    /// <summary>
    /// Adds Clerk.io tracking with options set in code. The options are validated when the host starts. Calling this
    /// more than once adds no services twice; each <paramref name="configure"/> is applied in order.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Sets the options, for example <c>o => o.PublicKey = "..."</c>.</param>
    /// <returns>The same <paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddClerk(this IServiceCollection services, Action<ClerkOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.Configure(configure);
        return services.AddClerkCore();
    }

    /// <summary>
    /// Adds a consent resolver, asked (in registration order) before Global Privacy Control and ASP.NET Core's cookie
    /// policy. It is a singleton; adding the same type twice adds it once.
    /// </summary>
    /// <typeparam name="TResolver">The resolver type.</typeparam>
    /// <param name="services">The app's services.</param>
    /// <returns>The same <paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddClerkConsentResolver<TResolver>(this IServiceCollection services)
        where TResolver : class, IClerkConsentResolver
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IClerkConsentResolver, TResolver>());
        return services;
    }

    /// <summary>
    /// Adds the app's own way of choosing a request's Clerk store (<c>Clerk:Stores</c>), asked before the stores' own
    /// rules (hosts, path base, cultures). Several selectors are asked in the order they were added; the first name wins.
    /// </summary>
    /// <typeparam name="TSelector">The selector, created once (a singleton).</typeparam>
    /// <param name="services">The app's services.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddClerkStoreSelector<TSelector>(this IServiceCollection services)
        where TSelector : class, IClerkStoreSelector
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IClerkStoreSelector, TSelector>());
        return services;
    }

    /// <summary>
    /// Adds a function that chooses a request's Clerk store by name, or returns <see langword="null"/> to leave the choice
    /// to the stores' rules: <c>services.AddClerkStoreSelector(context =&gt; context.Request.RouteValues["market"] as string)</c>.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="select">Chooses the store; cheap, without I/O, and never throwing.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddClerkStoreSelector(this IServiceCollection services, Func<HttpContext, string?> select)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(select);
        services.AddSingleton<IClerkStoreSelector>(new DelegateStoreSelector(select));
        return services;
    }

    private static IServiceCollection AddClerkCore(this IServiceCollection services)
    {
        // Registrations below that are not TryAdd* must happen once, however often AddClerk is called.
        var first = !services.Any(d => d.ServiceType == typeof(ClerkMarkerService));

        services.AddOptions<ClerkOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClerkOptions>, ClerkOptionsValidator>());
        services.AddMetrics();

        services.TryAddSingleton<ClerkMarkerService>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClerkMetrics>();
        services.TryAddSingleton<ProductIdTypes>();
        services.TryAddSingleton<IClerkCookielessSaltStore, InMemoryCookielessSaltStore>();
        services.TryAddSingleton<IClerkCookielessGraceStore, InMemoryCookielessGraceStore>();
        services.TryAddSingleton<CookielessVisitorIdFactory>();
        services.TryAddSingleton<ConsentEvaluator>();
        services.TryAddSingleton<VisitorCookie>();
        services.TryAddSingleton<VisitorResponseCookie>();
        services.TryAddSingleton<VisitorResolver>();

        // Tag helpers and sales. An app's own IClerkSaleLedger (a shared store for a web farm) registered before
        // AddClerk wins.
        services.TryAddSingleton<IClerkSaleLedger, InMemorySaleLedger>();
        services.TryAddSingleton<MarkupDiagnostics>();
        services.TryAddSingleton<MarkupServices>();

        // Server side (API setups): the typed client, the tracker, its queue and outbox and their workers, and the health check.
        services.AddHttpContextAccessor();
        services.TryAddSingleton<IClerkVisitorSource, RequestVisitorSource>();
        services.TryAddSingleton<ClerkStoreSet>();
        services.TryAddSingleton<StoreSelection>();
        services.TryAddSingleton<IClerkStoreSource, RequestStoreSource>();
        services.TryAddSingleton<ClerkCalls>();
        services.TryAddSingleton<DeliveryHealth>();
        services.TryAddSingleton<DeliveryQueue>();

        // Sales and returns wait in the outbox: in memory by default; an app's own IClerkOutbox (the EF Core package's,
        // in the shop's database) registered before AddClerk wins.
        services.TryAddSingleton<IClerkOutbox, InMemoryClerkOutbox>();
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxOrigins>();
        services.TryAddSingleton<IClerkTracker, ClerkTracker>();
        services.TryAddSingleton<ClickBeaconRateLimiter>();

        // Erasure and export (GDPR) across every store and the outbox; an app's own registered before AddClerk wins.
        services.TryAddSingleton<IClerkPrivacy, ClerkPrivacy>();

        // At start, once the endpoints are mapped: the click beacon the page posts to must be among them.
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ClerkEndpointCheck>());
        services.TryAddSingleton<ClerkHealthCheck>();
        services.AddHostedService<DeliveryWorker>();
        services.AddHostedService<OutboxWorker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, ClerkRedirectFilter>());
        if (first)
        {
            // The beacon's policy for app.UseRateLimiter(); PostConfigure, so an app's own policy of that name,
            // configured before or after AddClerk, wins (the beacon limits clicks itself when the middleware does not).
            services.AddRateLimiter();
            services.AddOptions<RateLimiterOptions>().PostConfigure<ClickBeaconRateLimiter>((o, limiter) => limiter.RegisterIn(o));

            // Clerk's calls time out by ClerkOptions.ApiTimeout; answers (results with product data) are bounded.
            services.AddHttpClient<IClerkClient, ClerkClient>(ClerkOptions.HttpClientName, http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.MaxResponseContentBufferSize = 16 * 1024 * 1024;
            });

            // One store's client, whatever the request: [FromKeyedServices("en")] IClerkClient, for a background job
            // of one market or a call that must reach every store. An unknown name throws, listing the stores.
            services.AddKeyedTransient<IClerkClient>(KeyedService.AnyKey, static (provider, key) =>
                ClerkClient.Create(
                    provider.GetRequiredService<IHttpClientFactory>(),
                    provider.GetRequiredService<ClerkCalls>().ForStore(
                        provider.GetRequiredService<ClerkStoreSet>().Get(StoreName(key, "client"))),
                    provider.GetRequiredService<TimeProvider>()));

            // One store's tracker: [FromKeyedServices("en")] IClerkTracker, for a background job of one market. Its
            // calls carry that store's key, and its sales claim orders in that store's ledger and wait in the outbox
            // as that store's. One per store (a singleton per key); an unknown name throws, listing the stores.
            services.AddKeyedSingleton<IClerkTracker>(KeyedService.AnyKey, static (provider, key) =>
                ActivatorUtilities.CreateInstance<ClerkTracker>(
                    provider,
                    provider.GetRequiredService<ClerkCalls>().ForStore(provider.GetRequiredService<ClerkStoreSet>().Get(StoreName(key, "tracker")))));
        }

        return services;
    }

    /// <summary>The store name a keyed Clerk service is asked for by.</summary>
    private static string StoreName(object? key, string service) =>
        key as string ?? throw new InvalidOperationException(
            $"A keyed Clerk {service} is asked for by the name of a Clerk store (a string); the key was {key?.GetType().Name ?? "null"}.");
}
