namespace Clerk.AspNetCore;

/// <summary>Where a consent decision came from; logged, never shown to visitors.</summary>
internal enum ConsentSource : byte
{
    /// <summary>An <see cref="IClerkConsentResolver"/> registered by the app.</summary>
    Resolver,

    /// <summary>A <c>Sec-GPC: 1</c> request header.</summary>
    GlobalPrivacyControl,

    /// <summary>ASP.NET Core's cookie policy (<c>ITrackingConsentFeature</c>).</summary>
    CookiePolicy,

    /// <summary>The app configures a cookie policy that checks consent, but it had not run for this request.</summary>
    CookiePolicyNotRun,

    /// <summary>No consent source at all: <see cref="ClerkOptions.DefaultConsent"/>.</summary>
    Default,
}
