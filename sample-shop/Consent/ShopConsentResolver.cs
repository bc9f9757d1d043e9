using Clerk.AspNetCore;

namespace SampleShop.Consent;

/// <summary>
/// The documented example of <see cref="IClerkConsentResolver"/>: ASP.NET Core's cookie policy records only a
/// granted consent, so the shop remembers a decline in a necessary cookie of its own and tells Clerk about it.
/// Everything else is left to the cookie policy (no opinion).
/// </summary>
public sealed class ShopConsentResolver : IClerkConsentResolver
{
    public ClerkConsent? ResolveConsent(HttpContext context) =>
        context.Request.Cookies[ShopConsent.CookieName] == ShopConsent.Declined ? ClerkConsent.Denied : null;
}
