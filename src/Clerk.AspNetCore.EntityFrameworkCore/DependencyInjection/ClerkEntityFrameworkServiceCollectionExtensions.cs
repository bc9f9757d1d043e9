using Clerk.AspNetCore;
using Clerk.AspNetCore.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Clerk's shared stores over the shop's own <see cref="DbContext"/>.</summary>
public static class ClerkEntityFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Keeps Clerk's cookieless salts and midnight grace, sale ledger and outbox in <typeparamref name="TContext"/>, so that every instance
    /// of a web farm shares them and a crash loses no sale; adds a background cleanup on every instance. Replaces the
    /// in-memory defaults whether it is called before or after <c>AddClerk</c>. <typeparamref name="TContext"/> must be
    /// registered (<c>AddDbContext</c>) and call <see cref="ClerkModelBuilderExtensions.UseClerk(ModelBuilder)"/>.
    /// </summary>
    /// <typeparam name="TContext">The shop's context, implementing <see cref="IClerkDbContext"/>.</typeparam>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Changes the stores' options, if given.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddClerkEntityFrameworkStores<TContext>(
        this IServiceCollection services,
        Action<ClerkEntityFrameworkOptions>? configure = null)
        where TContext : DbContext, IClerkDbContext
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<ClerkEntityFrameworkOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // At start, with a message that says what to change, rather than a cleanup loop that dies later.
        options
            .Validate(o => o.CleanupInterval > TimeSpan.Zero,
                "ClerkEntityFrameworkOptions.CleanupInterval must be positive (the default is 10 minutes).")
            .Validate(o => o.SentRetention >= TimeSpan.Zero,
                "ClerkEntityFrameworkOptions.SentRetention must not be negative (the default is 7 days; zero deletes sent rows at the next cleanup).")
            .ValidateOnStart();

        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClerkContextAccess<TContext>>();

        // AddClerk registers its in-memory defaults with TryAdd: replace whatever is there, so the call order does
        // not matter.
        services.RemoveAll<IClerkCookielessSaltStore>();
        services.AddSingleton<IClerkCookielessSaltStore, EntityFrameworkCookielessSaltStore<TContext>>();
        services.RemoveAll<IClerkCookielessGraceStore>();
        services.AddSingleton<IClerkCookielessGraceStore, EntityFrameworkCookielessGraceStore<TContext>>();
        services.RemoveAll<IClerkSaleLedger>();
        services.AddSingleton<IClerkSaleLedger, EntityFrameworkSaleLedger<TContext>>();
        services.RemoveAll<IClerkOutbox>();
        services.AddSingleton<IClerkOutbox, EntityFrameworkOutbox<TContext>>();

        services.TryAddSingleton<ClerkCleanup<TContext>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ClerkCleanupService<TContext>>());
        return services;
    }
}
