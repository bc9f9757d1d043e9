using Clerk.AspNetCore;
using Clerk.AspNetCore.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Http;

/// <summary>Reads the Clerk store of a request.</summary>
public static class ClerkStoreHttpContextExtensions
{
    /// <summary>
    /// The Clerk store this request belongs to (chosen once per request: the app's <see cref="IClerkStoreSelector"/>,
    /// then the stores' rules, then <see cref="ClerkOptions.DefaultStore"/>); every tag helper and server-side call of
    /// the request uses it. <see langword="null"/> when Clerk is turned off or not added (<c>AddClerk</c>).
    /// </summary>
    /// <param name="context">The current request.</param>
    /// <returns>The store, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public static ClerkStore? GetClerkStore(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices?.GetService<StoreSelection>()?.For(context);
    }
}
