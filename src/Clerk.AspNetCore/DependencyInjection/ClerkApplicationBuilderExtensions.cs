using Clerk.AspNetCore;
using Clerk.AspNetCore.Visitors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Clerk.AspNetCore.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds Clerk.io tracking to the request pipeline.</summary>
public static class ClerkApplicationBuilderExtensions
{
    private const string AddedKey = "Clerk.AspNetCore.TrackingAdded";

    /// <summary>
    /// Gives every request a Clerk visitor identity that follows the visitor's consent, published as
    /// <see cref="IClerkVisitorFeature"/> (<c>HttpContext.GetClerkVisitor()</c>), and keeps the visitor cookie.
    /// Call it after <c>UseCookiePolicy()</c> (if the app has one) and before the endpoints that render Clerk markup.
    /// Requires <c>services.AddClerk(...)</c>. Does nothing when <see cref="ClerkOptions.Enabled"/> is false; a second
    /// call adds nothing.
    /// </summary>
    /// <param name="app">The app's pipeline.</param>
    /// <returns>The same <paramref name="app"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="app"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><c>services.AddClerk(...)</c> was not called.</exception>
    public static IApplicationBuilder UseClerkTracking(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        if (app.ApplicationServices.GetService<ClerkMarkerService>() is null)
        {
            throw new InvalidOperationException(
                "UseClerkTracking() needs the Clerk services. Call builder.Services.AddClerk(builder.Configuration) (or AddClerk(options => ...)) in Program.cs before building the app.");
        }

        if (app.Properties.ContainsKey(AddedKey)
            || !app.ApplicationServices.GetRequiredService<IOptions<ClerkOptions>>().Value.Enabled)
        {
            return app;
        }

        app.Properties[AddedKey] = true;
        return app.UseMiddleware<ClerkTrackingMiddleware>();
    }
}
