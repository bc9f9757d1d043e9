namespace SampleShop.Consent;

/// <summary>The shop's own record of a declined consent: a strictly necessary cookie.</summary>
public static class ShopConsent
{
    public const string CookieName = "shop_consent";
    public const string Declined = "declined";

    /// <summary>
    /// Set in <c>HttpContext.Items</c> by the request that accepts: its own request still carries the old decline, and
    /// the resolver must see the acceptance as the response starts, for Clerk to issue the visitor cookie in it.
    /// </summary>
    public const string AcceptedItem = "shop_consent_accepted";
}
