using Clerk.AspNetCore;

namespace SampleShop.Consent;

/// <summary>
/// The documented example of <see cref="IClerkConsentResolver"/>: ASP.NET Core's cookie policy records only a
/// granted consent, so the shop remembers a decline in a necessary cookie of its own and tells Clerk about it.
/// Everything else is left to the cookie policy (no opinion). The request that accepts after a decline still carries
/// the decline's cookie; it marks itself in <c>HttpContext.Items</c>, so that as its response starts Clerk sees the
/// consent and issues a new visitor cookie in that response (never the cookieless ID from before the decline).
/// </summary>
public sealed class ShopConsentResolver : IClerkConsentResolver
{
    public ClerkConsent? ResolveConsent(HttpContext context) =>
        context.Request.Cookies[ShopConsent.CookieName] == ShopConsent.Declined && !context.Items.ContainsKey(ShopConsent.AcceptedItem)
            ? ClerkConsent.Denied
            : null;
}
