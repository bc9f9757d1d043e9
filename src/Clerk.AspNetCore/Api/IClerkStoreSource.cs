namespace Clerk.AspNetCore.Api;

/// <summary>
/// The Clerk store a call is made for: the current request's (implemented outside <c>Api/</c>, over the request), or
/// a fixed one (<see cref="FixedStoreSource"/>, for keyed clients and for messages sent in the background).
/// </summary>
internal interface IClerkStoreSource
{
    /// <summary>The store, or <see langword="null"/> when Clerk is turned off (no store is configured).</summary>
    ClerkStore? Current { get; }
}

/// <summary>Always the same store.</summary>
internal sealed class FixedStoreSource(ClerkStore store) : IClerkStoreSource
{
    public ClerkStore? Current => store;
}
