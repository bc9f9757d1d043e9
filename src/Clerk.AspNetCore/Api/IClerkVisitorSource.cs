namespace Clerk.AspNetCore.Api;

/// <summary>
/// The visitor of the request being handled, for server-side calls made without an explicit visitor. Implemented
/// outside <c>Api/</c> (over the request's visitor feature), so this room needs no ASP.NET Core types.
/// </summary>
internal interface IClerkVisitorSource
{
    /// <summary>The current request's visitor, or <see langword="null"/> outside a request or before <c>UseClerkTracking()</c>.</summary>
    RequestVisitor? Current { get; }
}

/// <summary>A request's visitor as Clerk sees it.</summary>
/// <param name="Id">The visitor ID, or <see langword="null"/> when the visitor declined tracking.</param>
/// <param name="Declined">Whether the visitor declined tracking (then nothing links them to a customer either).</param>
internal readonly record struct RequestVisitor(string? Id, bool Declined);
