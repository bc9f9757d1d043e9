namespace Clerk.AspNetCore;

/// <summary>
/// The Clerk visitor identity of the current request, decided by <c>app.UseClerkTracking()</c> and published as a
/// request feature for every request it sees: read it with <c>HttpContext.GetClerkVisitor()</c> or
/// <c>HttpContext.Features.Get&lt;IClerkVisitorFeature&gt;()</c>. Tag helpers and server-side tracking read only this.
/// </summary>
public interface IClerkVisitorFeature
{
    /// <summary>The consent that decided <see cref="Mode"/>.</summary>
    ClerkConsent Consent { get; }

    /// <summary>How the visitor is identified to Clerk.</summary>
    ClerkVisitorMode Mode { get; }

    /// <summary>
    /// The visitor ID to send to Clerk: 1–32 ASCII letters and digits, or <see langword="null"/> when
    /// <see cref="Mode"/> is <see cref="ClerkVisitorMode.Disabled"/> (send <c>visitor: null</c>).
    /// </summary>
    string? VisitorId { get; }

    /// <summary>
    /// <see langword="true"/> when this request issued a new persistent visitor ID (first visit after consent, or an
    /// invalid cookie that was replaced).
    /// </summary>
    bool IsNewVisitor { get; }
}
