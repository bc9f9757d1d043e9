namespace Clerk.AspNetCore.Stores;

/// <summary>The store chosen for a request, kept in its features so that it is chosen once.</summary>
internal sealed class ClerkStoreFeature(ClerkStore store)
{
    public ClerkStore Store { get; } = store;
}
