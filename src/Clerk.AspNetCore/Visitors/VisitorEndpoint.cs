using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// <c>GET /clerk/visitor</c> (<see cref="ClerkOptions.VisitorPath"/>): the request's visitor, as
/// <c>{"visitor":"aR9Km32lQx7Tz0Pb","mode":"Persistent","consent":"Granted"}</c> (<c>"visitor":null</c> when tracking
/// is disabled). The page asks it after a consent tool reports a change, so that Clerk.js gets the new visitor
/// without a reload. It decides nothing itself: <c>UseClerkTracking()</c> has already resolved the consent the request
/// carries now (the consent tool's new cookie) and sets or deletes the visitor cookie as the response starts, exactly
/// as it does for any page, so every rule of the middleware (a cookieless ID kept when consent is granted, a declined
/// visitor's ID never revived) holds here too.
/// </summary>
internal static class VisitorEndpoint
{
    public static Task HandleAsync(HttpContext context)
    {
        var response = context.Response;

        // One visitor's ID must never be served to another from a cache, nor an old one to the same visitor.
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";

        var options = context.RequestServices.GetRequiredService<IOptions<ClerkOptions>>().Value;
        var visitor = options.Enabled ? context.GetClerkVisitor() : null;
        if (visitor is null)
        {
            // Clerk off, or UseClerkTracking() did not see this request: no visitor is better than a wrong one.
            response.StatusCode = options.Enabled ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
            response.ContentType = "application/json";
            return response.WriteAsync("{\"visitor\":null}");
        }

        // Hand-written JSON: the ID is 1-32 ASCII letters and digits (the feature guarantees it; checked again, as
        // nothing else may ever reach the body) and the enum names are fixed words.
        var id = visitor.VisitorId is { } value && VisitorId.IsValid(value) ? "\"" + value + "\"" : "null";
        response.ContentType = "application/json";
        return response.WriteAsync($"{{\"visitor\":{id},\"mode\":\"{visitor.Mode}\",\"consent\":\"{visitor.Consent}\"}}");
    }
}
