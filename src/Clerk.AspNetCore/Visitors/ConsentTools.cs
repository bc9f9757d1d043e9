using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Visitors;

/// <summary>One consent tool the app added: which, and the tool's own name of the category Clerk needs.</summary>
internal sealed record ConsentToolRegistration(ClerkConsentTool Tool, string ToolCategory)
{
    /// <summary>The cookie the tool keeps its consent in.</summary>
    public string CookieName => CookieNameOf(Tool);

    /// <summary>
    /// The events the tool raises in the page when the consent may have changed, each as <c>[target, name]</c> with
    /// target <c>w</c> (window) or <c>d</c> (document). Cookiebot: <c>CookiebotOnAccept</c> and
    /// <c>CookiebotOnDecline</c> on window (https://www.cookiebot.com/en/developer/, "Events"); OneTrust:
    /// <c>OneTrustGroupsUpdated</c> on window, also raised on every page load
    /// (https://developer.onetrust.com/onetrust/docs/javascript-events-guide); CookieYes:
    /// <c>cookieyes_consent_update</c> on document (https://www.cookieyes.com/documentation/, consent events).
    /// </summary>
    public IEnumerable<(char Target, string Name)> PageEvents => Tool switch
    {
        ClerkConsentTool.Cookiebot => [('w', "CookiebotOnAccept"), ('w', "CookiebotOnDecline")],
        ClerkConsentTool.OneTrust => [('w', "OneTrustGroupsUpdated")],
        _ => [('d', "cookieyes_consent_update")],
    };

    public ClerkConsent Read(HttpRequest request) => Tool switch
    {
        ClerkConsentTool.Cookiebot => ConsentCookies.Cookiebot(ConsentCookies.RawValue(request, CookieName), ToolCategory),
        ClerkConsentTool.OneTrust => ConsentCookies.OneTrust(
            ConsentCookies.RawValue(request, CookieName),
            ToolCategory,
            alertBoxClosed: ConsentCookies.RawValue(request, "OptanonAlertBoxClosed") is { Length: > 0 }),
        _ => ConsentCookies.CookieYes(ConsentCookies.RawValue(request, CookieName), ToolCategory),
    };

    public static string CookieNameOf(ClerkConsentTool tool) => tool switch
    {
        ClerkConsentTool.Cookiebot => "CookieConsent",
        ClerkConsentTool.OneTrust => "OptanonConsent",
        _ => "cookieyes-consent",
    };

    /// <summary>The tool's own name of <paramref name="category"/> (see <see cref="ClerkConsentCategory"/>).</summary>
    public static string CategoryOf(ClerkConsentTool tool, ClerkConsentCategory category) => (tool, category) switch
    {
        (ClerkConsentTool.Cookiebot, ClerkConsentCategory.Marketing) => "marketing",
        (ClerkConsentTool.Cookiebot, _) => "statistics",
        (ClerkConsentTool.OneTrust, ClerkConsentCategory.Marketing) => "C0004",
        (ClerkConsentTool.OneTrust, _) => "C0002",
        (_, ClerkConsentCategory.Marketing) => "advertisement",
        (_, ClerkConsentCategory.Performance) => "performance",
        _ => "analytics",
    };
}

/// <summary>The consent tools the app added (<c>AddClerkConsentTool</c>), in order; one instance per app.</summary>
internal sealed class ConsentTools
{
    private readonly List<ConsentToolRegistration> _tools = [];

    public IReadOnlyList<ConsentToolRegistration> All => _tools;

    /// <summary>Adds a tool, or replaces the earlier registration of the same tool (the last call wins).</summary>
    public void Add(ConsentToolRegistration registration)
    {
        _tools.RemoveAll(t => t.Tool == registration.Tool);
        _tools.Add(registration);
    }
}
