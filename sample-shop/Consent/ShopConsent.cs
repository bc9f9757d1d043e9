namespace SampleShop.Consent;

/// <summary>The shop's own record of a declined consent: a strictly necessary cookie.</summary>
public static class ShopConsent
{
    public const string CookieName = "shop_consent";
    public const string Declined = "declined";
}
