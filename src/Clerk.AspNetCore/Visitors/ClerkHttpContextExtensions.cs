using Clerk.AspNetCore;

namespace Microsoft.AspNetCore.Http;

/// <summary>Reads the Clerk visitor of a request.</summary>
public static class ClerkHttpContextExtensions
{
    /// <summary>
    /// The Clerk visitor of this request, as decided by <c>app.UseClerkTracking()</c>; <see langword="null"/> when the
    /// middleware has not run for this request (it is missing from the pipeline or placed later) or Clerk is disabled.
    /// The same as <c>context.Features.Get&lt;IClerkVisitorFeature&gt;()</c>.
    /// </summary>
    /// <param name="context">The current request.</param>
    /// <returns>The visitor feature, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public static IClerkVisitorFeature? GetClerkVisitor(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The indexer rather than Get<T>, a generic virtual call (ClerkTrackingMiddleware.Publish).
        return context.Features[typeof(IClerkVisitorFeature)] as IClerkVisitorFeature;
    }
}
