using Clerk.AspNetCore.Api;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Visitors;

/// <summary>The visitor that <c>UseClerkTracking()</c> resolved for the request in <see cref="IHttpContextAccessor"/>.</summary>
internal sealed class RequestVisitorSource(IHttpContextAccessor accessor) : IClerkVisitorSource
{
    public RequestVisitor? Current =>
        accessor.HttpContext?.GetClerkVisitor() is { } visitor
            ? new RequestVisitor(visitor.VisitorId, visitor.Mode == ClerkVisitorMode.Disabled)
            : null;
}
