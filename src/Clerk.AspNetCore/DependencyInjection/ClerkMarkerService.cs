namespace Clerk.AspNetCore.DependencyInjection;

/// <summary>Registered by <c>AddClerk</c>, so that <c>UseClerkTracking</c> can tell that the services are there.</summary>
internal sealed class ClerkMarkerService;
