namespace Clerk.AspNetCore.DependencyInjection;

/// <summary>
/// Endpoint metadata on what <c>MapClerkTracking()</c> maps, so that <see cref="ClerkEndpointCheck"/> can find the
/// click beacon among the app's endpoints at start, wherever (and under whatever group prefix) it was mapped.
/// </summary>
internal sealed class ClerkTrackingEndpoint(string kind)
{
    public const string Beacon = "beacon";
    public const string Visitor = "visitor";

    public string Kind { get; } = kind;
}
