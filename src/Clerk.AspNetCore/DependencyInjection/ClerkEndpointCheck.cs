using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.DependencyInjection;

/// <summary>
/// At start, once the app's pipeline and endpoints are built: when <c>&lt;clerk-script&gt;</c> will post clicks to
/// the click beacon (the Clerk.js-mode fallback, or API mode), the beacon must be mapped (<c>app.MapClerkTracking()</c>)
/// at <see cref="ClerkOptions.BeaconPath"/>, or every such click is a 404 and lost without a trace. Development fails
/// the start with the fix; elsewhere a warning (event 50) says it, and the shop runs.
/// </summary>
/// <remarks>
/// A startup filter runs its check after <c>next(app)</c>, when <c>Program.cs</c> (or <c>Startup.Configure</c>) has
/// mapped every endpoint: the endpoint data source then lists them all. An app without routing services has no Razor
/// Pages or MVC, so it renders no <c>&lt;clerk-script&gt;</c>, and there is nothing to check.
/// </remarks>
internal sealed class ClerkEndpointCheck(IOptions<ClerkOptions> options, IHostEnvironment environment, ILogger<ClerkEndpointCheck> logger) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        Check(app.ApplicationServices.GetService<EndpointDataSource>());
    };

    internal void Check(EndpointDataSource? endpoints)
    {
        var clerk = options.Value;
        var postsClicks = clerk.Enabled && clerk.TrackClicks && (clerk.Mode == ClerkIntegrationMode.Api || clerk.ClickFallback);
        if (!postsClicks || endpoints is null || Problem(endpoints.Endpoints, clerk) is not { } problem)
        {
            return;
        }

        if (environment.IsDevelopment())
        {
            throw new InvalidOperationException(problem);
        }

        logger.ClickBeaconNotMapped(problem);
    }

    private static string? Problem(IReadOnlyList<Endpoint> endpoints, ClerkOptions clerk)
    {
        var why = clerk.Mode == ClerkIntegrationMode.Api
            ? "In 'Api' mode <clerk-script> posts every click on a product Clerk chose to the click beacon"
            : "<clerk-script> posts clicks to the click beacon when Clerk.js is blocked (Clerk:ClickFallback, on by default)";
        var beacons = endpoints
            .Where(e => e.Metadata.GetMetadata<ClerkTrackingEndpoint>() is { Kind: ClerkTrackingEndpoint.Beacon })
            .ToList();
        if (beacons.Count == 0)
        {
            return $"{why}, but the beacon is not mapped, so those clicks would be lost. Add app.MapClerkTracking() to Program.cs (after app.UseClerkTracking()), or turn the fallback off with Clerk:ClickFallback=false (Clerk:TrackClicks=false in 'Api' mode).";
        }

        if (beacons.Any(e => e is not RouteEndpoint route || PathMatches(route.RoutePattern.RawText, clerk.BeaconPath)))
        {
            return null;
        }

        var mappedAt = string.Join(", ", beacons.OfType<RouteEndpoint>().Select(e => "'" + e.RoutePattern.RawText + "'"));
        return $"{why} at Clerk:BeaconPath '{clerk.BeaconPath}', but MapClerkTracking() mapped it at {mappedAt} (inside a route group?), so those clicks would be lost. Call app.MapClerkTracking() on the app itself, or set Clerk:BeaconPath to the path it is mapped at.";
    }

    private static bool PathMatches(string? pattern, string path) =>
        string.Equals(
            "/" + (pattern ?? string.Empty).Trim('/'),
            "/" + path.Trim('/'),
            StringComparison.OrdinalIgnoreCase);
}
