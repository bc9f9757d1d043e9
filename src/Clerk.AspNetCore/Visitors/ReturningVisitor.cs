using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Stands in, as a request feature, for the <see cref="IClerkVisitorFeature"/> of the most common request: a
/// returning visitor with a valid cookie whose consent cannot change during the request. Everything the feature would
/// say is known from the kind of request, except the ID, which is the cookie's value. So the middleware publishes one
/// shared instance and allocates nothing; <c>GetClerkVisitor()</c> creates the real feature the first time the request
/// asks, from the cookie. Most requests (assets, APIs, pages without Clerk markup) never ask. ASP.NET Core creates its
/// own request features lazily in the same way.
/// </summary>
internal sealed class ReturningVisitor
{
    private readonly string _cookieName;

    /// <param name="cookieName">The visitor cookie, whose value is the visitor ID.</param>
    /// <param name="consentSource">What granted consent; never the cookie policy, whose consent can change.</param>
    public ReturningVisitor(string cookieName, ConsentSource consentSource)
    {
        if (ConsentEvaluator.CanChangeDuringRequest(consentSource))
        {
            throw new ArgumentException(
                $"Consent from {consentSource} can change during the request, so the response must check it again and the visitor cannot be deferred.",
                nameof(consentSource));
        }

        _cookieName = cookieName;
        ConsentSource = consentSource;
    }

    public ConsentSource ConsentSource { get; }

    /// <summary>Creates the request's feature from its cookie and publishes it, so that later reads find it directly.</summary>
    public ClerkVisitorFeature CreateFeature(HttpContext context)
    {
        var visitorId = context.Request.Cookies[_cookieName];

        // The middleware saw a valid cookie. Only app code that rewrote the request's Cookie header since then can
        // make it invalid or remove it; without a trustworthy ID, the request goes on without a visitor.
        var feature = visitorId is not null && VisitorId.IsValid(visitorId)
            ? ClerkVisitorFeature.Returning(visitorId, ConsentSource)
            : ClerkVisitorFeature.Failed;

        context.Features.Set<IClerkVisitorFeature>(feature);
        return feature;
    }
}
