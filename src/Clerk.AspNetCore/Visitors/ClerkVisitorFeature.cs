namespace Clerk.AspNetCore.Visitors;

/// <summary>The visitor decision for one request, plus what the response must do with the visitor cookie.</summary>
internal sealed class ClerkVisitorFeature(ClerkConsent consent, ClerkVisitorMode mode, string? visitorId, bool isNewVisitor)
    : IClerkVisitorFeature
{
    /// <summary>Published when tracking failed for a request: no visitor, nothing written.</summary>
    public static readonly ClerkVisitorFeature Failed = new(ClerkConsent.Undecided, ClerkVisitorMode.Disabled, null, false);

    private static readonly int SourceCount = Enum.GetValues<ConsentSource>().Length;

    /// <summary>One shared instance per consent and source, since a disabled visitor without a cookie has no ID.</summary>
    private static readonly ClerkVisitorFeature[] DisabledWithoutCookie = Enum.GetValues<ClerkConsent>()
        .SelectMany(consent => Enum.GetValues<ConsentSource>().Select(source =>
            new ClerkVisitorFeature(consent, ClerkVisitorMode.Disabled, null, false) { ConsentSource = source }))
        .ToArray();

    /// <summary>The feature of a request without a visitor cookie that gets no visitor ID, shared by all of them.</summary>
    public static ClerkVisitorFeature Disabled(ClerkConsent consent, ConsentSource source) =>
        DisabledWithoutCookie[((int)consent * SourceCount) + (int)source];

    /// <summary>The feature of a visitor who consented and brought a valid visitor cookie: nothing to write.</summary>
    public static ClerkVisitorFeature Returning(string visitorId, ConsentSource source) =>
        new(ClerkConsent.Granted, ClerkVisitorMode.Persistent, visitorId, isNewVisitor: false)
        {
            ConsentSource = source,
            RequestHadCookie = true,
        };

    public ClerkConsent Consent { get; } = consent;

    public ClerkVisitorMode Mode { get; } = mode;

    public string? VisitorId { get; } = visitorId;

    public bool IsNewVisitor { get; } = isNewVisitor;

    internal ConsentSource ConsentSource { get; init; }

    /// <summary>The request carried a visitor cookie, valid or not.</summary>
    internal bool RequestHadCookie { get; init; }

    /// <summary>The response must set the visitor cookie to <see cref="VisitorId"/> (if consent still holds then).</summary>
    internal bool WriteCookie { get; init; }
}
