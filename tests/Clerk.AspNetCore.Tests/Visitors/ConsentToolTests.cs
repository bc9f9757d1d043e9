using System.Text.RegularExpressions;
using Clerk.AspNetCore.Visitors;
using CsCheck;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.Visitors;

/// <summary>The consent tools' cookies (Cookiebot, OneTrust, CookieYes), as <c>AddClerkConsentTool</c> reads them.</summary>
public sealed class ConsentToolTests
{
    private const string CookiebotAccepted = "%7Bstamp%3A%27Ov4gD1JVnDnBaJv8K2wYQlyWlnNlT%2FAKO768tibZYdQGNj%2FEolraLw%3D%3D%27%2Cnecessary%3Atrue%2Cpreferences%3Afalse%2Cstatistics%3Atrue%2Cmarketing%3Afalse%2Cmethod%3A%27explicit%27%2Cver%3A1%2Cutc%3A1698057791350%2Cregion%3A%27gb%27%7D";
    private const string OneTrustAnswered = "isGpcEnabled=0&datestamp=Thu+Nov+20+2026+10%3A00%3A00+GMT%2B0100&version=202409.1.0&interactionCount=1&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A1%2CC0003%3A1%2CC0004%3A0&AwaitingReconsent=false";
    private const string CookieYesAnswered = "consentid:bFl2eFJBN05VS21WNWk5enpRNTNEZ3hxR0dDc3VmcFM,consent:yes,action:yes,necessary:yes,functional:no,analytics:yes,performance:no,advertisement:no";

    private static ClerkConsent? Resolve(ClerkConsentTool tool, ClerkConsentCategory category, string? cookieHeader, string? toolCategory = null, bool gpc = false, bool honorGpc = true)
    {
        var services = new ServiceCollection();
        services.AddClerk(o =>
        {
            o.PublicKey = "test-public-key";
            o.HonorGlobalPrivacyControl = honorGpc;
        });
        services.AddClerkConsentTool(tool, category, toolCategory);
        using var provider = services.BuildServiceProvider();
        var resolver = Assert.Single(provider.GetServices<IClerkConsentResolver>());
        var context = new DefaultHttpContext();
        if (cookieHeader is not null)
        {
            context.Request.Headers.Cookie = cookieHeader;
        }

        if (gpc)
        {
            context.Request.Headers["Sec-GPC"] = "1";
        }

        return resolver.ResolveConsent(context);
    }

    [Theory]
    [InlineData(ClerkConsentCategory.Statistics, ClerkConsent.Granted)]
    [InlineData(ClerkConsentCategory.Performance, ClerkConsent.Granted)]
    [InlineData(ClerkConsentCategory.Marketing, ClerkConsent.Denied)]
    public void Cookiebot_DocumentedValue_ReadsTheCategory(ClerkConsentCategory category, ClerkConsent expected) =>
        Assert.Equal(expected, Resolve(ClerkConsentTool.Cookiebot, category, "CookieConsent=" + CookiebotAccepted));

    [Fact]
    public void Cookiebot_MinusOneForARegionWithoutConsent_IsGranted() =>
        Assert.Equal(ClerkConsent.Granted, Resolve(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Marketing, "CookieConsent=-1"));

    [Fact]
    public void Cookiebot_NoCookie_IsUndecided() =>
        Assert.Equal(ClerkConsent.Undecided, Resolve(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics, "other=1"));

    [Fact]
    public void Cookiebot_NoCookieWithGlobalPrivacyControl_LeavesItToGpc() =>
        Assert.Null(Resolve(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics, null, gpc: true));

    [Fact]
    public void Cookiebot_NoCookieWithGpcNotHonoured_IsUndecided() =>
        Assert.Equal(ClerkConsent.Undecided, Resolve(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics, null, gpc: true, honorGpc: false));

    [Fact]
    public void Cookiebot_AcceptedWithGlobalPrivacyControl_ExplicitChoiceWins() =>
        Assert.Equal(ClerkConsent.Granted, Resolve(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics, "CookieConsent=" + CookiebotAccepted, gpc: true));

    [Fact]
    public void Cookiebot_UnknownCategoryName_IsUndecided() =>
        Assert.Equal(ClerkConsent.Undecided, Resolve(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics, "CookieConsent=" + CookiebotAccepted, toolCategory: "analytics"));

    [Theory]
    [InlineData(ClerkConsentCategory.Statistics, ClerkConsent.Granted)]
    [InlineData(ClerkConsentCategory.Marketing, ClerkConsent.Denied)]
    public void OneTrust_AnsweredGroups_ReadTheCategory(ClerkConsentCategory category, ClerkConsent expected) =>
        Assert.Equal(expected, Resolve(ClerkConsentTool.OneTrust, category, "OptanonConsent=" + OneTrustAnswered));

    [Fact]
    public void OneTrust_OwnGroupId_IsRead() =>
        Assert.Equal(ClerkConsent.Granted, Resolve(ClerkConsentTool.OneTrust, ClerkConsentCategory.Marketing, "OptanonConsent=" + OneTrustAnswered, toolCategory: "C0003"));

    [Fact]
    public void OneTrust_FirstVisitDefaultsOfZero_AreUndecidedNotDeclined() =>
        Assert.Equal(
            ClerkConsent.Undecided,
            Resolve(ClerkConsentTool.OneTrust, ClerkConsentCategory.Marketing, "OptanonConsent=" + OneTrustAnswered.Replace("interactionCount=1", "interactionCount=0", StringComparison.Ordinal)));

    [Fact]
    public void OneTrust_ZeroAfterTheBannerWasClosed_IsDenied() =>
        Assert.Equal(
            ClerkConsent.Denied,
            Resolve(ClerkConsentTool.OneTrust, ClerkConsentCategory.Marketing, "OptanonAlertBoxClosed=2026-11-20T09:00:00.000Z; OptanonConsent=" + OneTrustAnswered.Replace("interactionCount=1&", string.Empty, StringComparison.Ordinal)));

    [Fact]
    public void OneTrust_GroupsSmuggledInsideAnEncodedLandingPath_AreNotRead() =>
        Assert.Equal(
            ClerkConsent.Undecided,
            Resolve(ClerkConsentTool.OneTrust, ClerkConsentCategory.Marketing, "OptanonConsent=interactionCount=1&landingPath=https%3A%2F%2Fshop%2F%3Fx%3D1%26groups%3DC0004%3A1"));

    [Fact]
    public void OneTrust_ApostropheInLandingPath_DoesNotHideTheGroups() =>
        Assert.Equal(
            ClerkConsent.Granted,
            Resolve(ClerkConsentTool.OneTrust, ClerkConsentCategory.Statistics, "OptanonConsent=landingPath=https%3A%2F%2Fshop%2F%3Fq%3Dit's&" + OneTrustAnswered));

    [Theory]
    [InlineData(ClerkConsentCategory.Statistics, ClerkConsent.Granted)]
    [InlineData(ClerkConsentCategory.Performance, ClerkConsent.Denied)]
    [InlineData(ClerkConsentCategory.Marketing, ClerkConsent.Denied)]
    public void CookieYes_AnsweredValue_ReadsTheCategory(ClerkConsentCategory category, ClerkConsent expected) =>
        Assert.Equal(expected, Resolve(ClerkConsentTool.CookieYes, category, "cookieyes-consent=" + CookieYesAnswered));

    [Fact]
    public void CookieYes_BeforeTheVisitorActed_NoIsUndecided() =>
        Assert.Equal(
            ClerkConsent.Undecided,
            Resolve(ClerkConsentTool.CookieYes, ClerkConsentCategory.Marketing, "cookieyes-consent=" + CookieYesAnswered.Replace("action:yes", "action:", StringComparison.Ordinal)));

    [Theory]
    [InlineData(ClerkConsentTool.Cookiebot, "CookieConsent={statistics:true,statistics:false}")]
    [InlineData(ClerkConsentTool.Cookiebot, "CookieConsent={statistics:'true',statistics:TRUE}")]
    [InlineData(ClerkConsentTool.Cookiebot, "CookieConsent={stamp:'x,statistics:true}")]
    [InlineData(ClerkConsentTool.Cookiebot, "CookieConsent={stamp:\"it's\",statistics:yes}")]
    [InlineData(ClerkConsentTool.Cookiebot, "CookieConsent=statistics:true")]
    [InlineData(ClerkConsentTool.Cookiebot, "CookieConsent=%7Bstatistics%3Atrue")]
    [InlineData(ClerkConsentTool.Cookiebot, "CookieConsent={\"statistics\":1}")]
    [InlineData(ClerkConsentTool.Cookiebot, "CookieConsent=%ZZ%7B%E0%A4%A")]
    [InlineData(ClerkConsentTool.OneTrust, "OptanonConsent=groups=C0002%3Atrue")]
    [InlineData(ClerkConsentTool.OneTrust, "OptanonConsent=groups=C0002")]
    [InlineData(ClerkConsentTool.OneTrust, "OptanonConsent=groups=%ZZ")]
    [InlineData(ClerkConsentTool.OneTrust, "OptanonConsent=groups=C0002:1,C0002:0&interactionCount=oops")]
    [InlineData(ClerkConsentTool.CookieYes, "cookieyes-consent=analytics:YES")]
    [InlineData(ClerkConsentTool.CookieYes, "cookieyes-consent=analytics")]
    [InlineData(ClerkConsentTool.CookieYes, "cookieyes-consent=")]
    public void Resolve_MalformedValue_IsNeverGranted(ClerkConsentTool tool, string cookieHeader) =>
        Assert.NotEqual(ClerkConsent.Granted, Resolve(tool, ClerkConsentCategory.Statistics, cookieHeader));

    [Theory]
    [InlineData(ClerkConsentTool.Cookiebot, "CookieConsent")]
    [InlineData(ClerkConsentTool.OneTrust, "OptanonConsent")]
    [InlineData(ClerkConsentTool.CookieYes, "cookieyes-consent")]
    public void Resolve_HugeValue_IsUndecided(ClerkConsentTool tool, string name) =>
        Assert.Equal(ClerkConsent.Undecided, Resolve(tool, ClerkConsentCategory.Statistics, name + "=" + new string('%', 1_000_000) + "statistics:true,analytics:yes,groups=C0002:1"));

    [Fact]
    public void Resolve_QuotedCookieValue_IsReadInsideTheQuotes() =>
        Assert.Equal(ClerkConsent.Granted, Resolve(ClerkConsentTool.CookieYes, ClerkConsentCategory.Statistics, "cookieyes-consent=\"" + CookieYesAnswered + "\""));

    [Fact]
    public void AddClerkConsentTool_SameToolTwice_LastCategoryWins()
    {
        var services = new ServiceCollection();
        services.AddClerk(o => o.PublicKey = "test-public-key");
        services.AddClerkConsentTool(ClerkConsentTool.CookieYes, ClerkConsentCategory.Statistics);
        services.AddClerkConsentTool(ClerkConsentTool.CookieYes, ClerkConsentCategory.Marketing);
        using var provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "cookieyes-consent=" + CookieYesAnswered;

        Assert.Equal(ClerkConsent.Denied, Assert.Single(provider.GetServices<IClerkConsentResolver>()).ResolveConsent(context));
    }

    [Fact]
    public void AddClerkConsentTool_UndefinedTool_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddClerkConsentTool((ClerkConsentTool)9, ClerkConsentCategory.Statistics));

    [Fact]
    public void Parsers_AnyValue_NeverThrowAndGrantOnlyWithTheAcceptedWord()
    {
        var alphabet = Gen.OneOf<char>('{', '}', ':', ',', '&', '=', '%', '\'', '"', ' ', '-', '1', '0', 'a', '+', '\\', '\u2028', '\0', 'é', "𝕏"[0]);
        var tokens = Gen.OneOf<string>(
            "statistics", "true", "false", "analytics", "yes", "no", "groups", "C0002", "action", "interactionCount", "%7B", "%2C", "%3A", "%", "%E0%A4", "-1", "stamp:'");
        var piece = Gen.Frequency((3, alphabet.Select(c => c.ToString())), (2, tokens));
        var values = piece.Array[0, 60].Select(string.Concat);

        values.Sample(value =>
        {
            var cookiebot = ConsentCookies.Cookiebot(value, "statistics");
            var oneTrust = ConsentCookies.OneTrust(value, "C0002", alertBoxClosed: true);
            var cookieYes = ConsentCookies.CookieYes(value, "analytics");
            Assert.True(Enum.IsDefined(cookiebot) && Enum.IsDefined(oneTrust) && Enum.IsDefined(cookieYes));
            if (cookieYes == ClerkConsent.Granted)
            {
                Assert.Matches(new Regex(@"analytics\s*:\s*yes", RegexOptions.IgnoreCase), Uri.UnescapeDataString(value));
            }

            if (oneTrust == ClerkConsent.Granted)
            {
                Assert.Matches(new Regex(@"C0002\s*:\s*1", RegexOptions.IgnoreCase), Uri.UnescapeDataString(value));
            }

            if (cookiebot == ClerkConsent.Granted && value.Trim() != "-1" && Uri.UnescapeDataString(value).Trim() != "-1")
            {
                Assert.Contains("true", Uri.UnescapeDataString(value), StringComparison.Ordinal);
            }
        }, iter: 20_000);
    }
}
