using Microsoft.Extensions.Diagnostics.HealthChecks;
using Clerk.AspNetCore.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Clerk.io to the app's health checks.</summary>
public static class ClerkHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check of Clerk tracking: <paramref name="failureStatus"/> (Degraded by default) when Clerk rejects
    /// the API keys (checked through <c>client/account/info</c> when <c>Clerk:PrivateKey</c> is set), when the last
    /// deliveries to Clerk failed, or when no sale has gone to Clerk within <c>Clerk:Delivery:SalesHealthWindow</c>.
    /// Requires <c>services.AddClerk(...)</c>.
    /// </summary>
    /// <param name="builder">The app's health checks.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status when something is wrong; defaults to <see cref="HealthStatus.Degraded"/>, so a Clerk problem does not take the shop out of a load balancer.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The same <paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHealthChecksBuilder AddClerk(
        this IHealthChecksBuilder builder, string name = "clerk", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => services.GetRequiredService<ClerkHealthCheck>(),
            failureStatus ?? HealthStatus.Degraded,
            tags));
    }
}
