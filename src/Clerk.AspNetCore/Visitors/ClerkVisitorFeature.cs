namespace Clerk.AspNetCore.Visitors;

/// <summary>The visitor decision for one request, plus what the response must do with the visitor cookie.</summary>
/// <remarks>
/// Made for every request <c>UseClerkTracking()</c> sees, so it is kept small: one reference and six bytes, 32 bytes in
/// all (the public enums are stored as bytes). <see cref="ConsentWatchingVisitorFeature"/> adds what a visitor behind
/// the cookie policy needs and stays within 48.
/// </remarks>
internal class ClerkVisitorFeature : IClerkVisitorFeature
{
    /// <summary>Published when tracking failed for a request: no visitor, nothing written.</summary>
    public static readonly ClerkVisitorFeature Failed = new(ClerkConsent.Undecided, ClerkVisitorMode.Disabled, null, false);

    private static readonly int SourceCount = Enum.GetValues<ConsentSource>().Length;

    /// <summary>One shared instance per consent and source, since a disabled visitor without a cookie has no ID.</summary>
    private static readonly ClerkVisitorFeature[] DisabledWithoutCookie = Enum.GetValues<ClerkConsent>()
        .SelectMany(consent => Enum.GetValues<ConsentSource>().Select(source =>
            new ClerkVisitorFeature(consent, ClerkVisitorMode.Disabled, null, false) { ConsentSource = source }))
        .ToArray();

    private readonly string? _visitorId;
    private readonly byte _consent;
    private readonly byte _mode;
    private readonly bool _isNewVisitor;
    private readonly ConsentSource _source;
    private readonly bool _requestHadCookie;
    private readonly bool _writeCookie;

    public ClerkVisitorFeature(ClerkConsent consent, ClerkVisitorMode mode, string? visitorId, bool isNewVisitor)
    {
        _consent = (byte)consent;
        _mode = (byte)mode;
        _visitorId = visitorId;
        _isNewVisitor = isNewVisitor;
    }

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

    public ClerkConsent Consent => (ClerkConsent)_consent;

    public ClerkVisitorMode Mode => (ClerkVisitorMode)_mode;

    public string? VisitorId => _visitorId;

    public bool IsNewVisitor => _isNewVisitor;

    internal ConsentSource ConsentSource
    {
        get => _source;
        init => _source = value;
    }

    /// <summary>The request carried a visitor cookie, valid or not.</summary>
    internal bool RequestHadCookie
    {
        get => _requestHadCookie;
        init => _requestHadCookie = value;
    }

    /// <summary>The response must set the visitor cookie to <see cref="VisitorId"/> (if consent still holds then).</summary>
    internal bool WriteCookie
    {
        get => _writeCookie;
        init => _writeCookie = value;
    }
}
