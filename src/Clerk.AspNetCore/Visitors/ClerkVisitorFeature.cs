namespace Clerk.AspNetCore.Visitors;

/// <summary>The visitor decision for one request, plus what the response must do with the visitor cookie.</summary>
internal sealed class ClerkVisitorFeature(ClerkConsent consent, ClerkVisitorMode mode, string? visitorId, bool isNewVisitor)
    : IClerkVisitorFeature
{
    /// <summary>Published when tracking failed for a request: no visitor, nothing written.</summary>
    public static readonly ClerkVisitorFeature Failed = new(ClerkConsent.Undecided, ClerkVisitorMode.Disabled, null, false);

    public ClerkConsent Consent { get; } = consent;

    public ClerkVisitorMode Mode { get; } = mode;

    public string? VisitorId { get; } = visitorId;

    public bool IsNewVisitor { get; } = isNewVisitor;

    internal ConsentSource ConsentSource { get; init; }

    /// <summary>The request carried a visitor cookie, valid or not.</summary>
    internal bool RequestHadCookie { get; init; }

    /// <summary>The response must set the visitor cookie to <see cref="VisitorId"/> (if consent still holds then).</summary>
    internal bool WriteCookie { get; init; }

    /// <summary>The ID came from <c>?clerk_visitor=</c>, Clerk's testing aid.</summary>
    internal bool ForcedByQuery { get; init; }
}
