using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore;

/// <summary>
/// The app's own way of choosing a request's Clerk store, asked before the stores' own rules
/// (<see cref="ClerkStoreOptions.Hosts"/>, <c>PathBase</c>, <c>Cultures</c>): for example from a route value, the
/// customer's chosen market, or a tenant. Register it with <c>services.AddClerkStoreSelector&lt;T&gt;()</c>.
/// </summary>
/// <remarks>
/// Asked at most once per request, when something first needs the store (a tag helper, a server-side call, the
/// tracker), and the answer is kept for the rest of the request: what it reads must be there by then (route values
/// after <c>UseRouting()</c>, the culture after <c>UseRequestLocalization()</c>), which holds for pages and endpoints.
/// Keep it cheap and free of I/O. Returning a name that is not configured, or throwing, is a mistake: in Development
/// it throws; elsewhere it is logged (event 88, event 90) and the request falls through to the rules.
/// </remarks>
public interface IClerkStoreSelector
{
    /// <summary>Chooses the request's store.</summary>
    /// <param name="context">The request.</param>
    /// <returns>A store's name (<c>Clerk:Stores:{name}</c>), or <see langword="null"/> to leave the choice to the rules.</returns>
    string? SelectStore(HttpContext context);
}
