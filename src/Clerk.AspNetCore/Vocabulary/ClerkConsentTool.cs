namespace Clerk.AspNetCore;

/// <summary>
/// A consent management platform whose consent cookie Clerk can read on the server
/// (<c>services.AddClerkConsentTool(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics)</c>).
/// </summary>
public enum ClerkConsentTool
{
    /// <summary>Cookiebot (Usercentrics): the <c>CookieConsent</c> cookie.</summary>
    Cookiebot,

    /// <summary>OneTrust: the <c>groups</c> of the <c>OptanonConsent</c> cookie.</summary>
    OneTrust,

    /// <summary>CookieYes: the <c>cookieyes-consent</c> cookie.</summary>
    CookieYes,
}
