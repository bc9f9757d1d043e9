using Clerk.AspNetCore;
using Clerk.AspNetCore.Visitors;

namespace Microsoft.AspNetCore.Http;

/// <summary>Reads the Clerk visitor of a request.</summary>
public static class ClerkHttpContextExtensions
{
    /// <summary>
    /// The Clerk visitor of this request, as decided by <c>app.UseClerkTracking()</c>; <see langword="null"/> when the
    /// middleware has not run for this request (it is missing from the pipeline or placed later) or Clerk is disabled.
    /// </summary>
    /// <remarks>
    /// Read the visitor with this method rather than <c>HttpContext.Features</c>: for a returning visitor the feature
    /// is created on the first read, so that requests which never ask for it cost no allocation.
    /// </remarks>
    /// <param name="context">The current request.</param>
    /// <returns>The visitor feature, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public static IClerkVisitorFeature? GetClerkVisitor(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var features = context.Features;
        return features.Get<IClerkVisitorFeature>() ?? features.Get<ReturningVisitor>()?.CreateFeature(context);
    }
}
