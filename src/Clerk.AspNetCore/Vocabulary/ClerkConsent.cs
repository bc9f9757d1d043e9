namespace Clerk.AspNetCore;

/// <summary>
/// What a visitor has said about being tracked, as far as the shop knows it.
/// </summary>
public enum ClerkConsent
{
    /// <summary>
    /// The visitor has not decided yet. By default Clerk runs cookieless: a server-derived visitor ID
    /// that is never stored on the device (see <see cref="ClerkOptions.UndecidedConsentMode"/>).
    /// </summary>
    Undecided = 0,

    /// <summary>The visitor accepted tracking: a persistent visitor ID is kept in the visitor cookie.</summary>
    Granted = 1,

    /// <summary>The visitor declined tracking: no visitor ID is sent to Clerk and the visitor cookie is deleted.</summary>
    Denied = 2,
}
