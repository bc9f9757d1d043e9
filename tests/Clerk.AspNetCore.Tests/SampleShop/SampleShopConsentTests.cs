using AngleSharp.Html.Parser;
using Clerk.AspNetCore.Tests.TestSupport;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The consent banner and endpoints of the sample shop, through the package, as a browser would use them.</summary>
public sealed class SampleShopConsentTests(SampleShopFactory factory) : IClassFixture<SampleShopFactory>
{
    private const string VisitorCookie = "clerk_visitor";
    private const string ReturningId = "aR9Km32lQx7Tz0Pb";

    [Fact]
    public async Task GetHome_FirstVisit_ShowsBannerAndRunsCookieless()
    {
        using var response = await SendAsync(HttpMethod.Get, "/");
        var page = await ParseAsync(response);

        Assert.NotNull(page.QuerySelector("#consent-banner"));
        Assert.Equal("Cookieless", page.QuerySelector("#visitor-mode")?.TextContent);
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task GetHome_ManyVisitsWithoutDecision_NeverSetsACookie()
    {
        for (var i = 0; i < 10; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, "/");

            Assert.Empty(SetCookies.Raw(response));
        }
    }

    [Fact]
    public async Task PostAccept_Always_GrantsConsentAndRedirectsWith303()
    {
        using var response = await SendAsync(HttpMethod.Post, "/consent/accept", form: new() { ["returnUrl"] = "/?page=2" });

        Assert.Equal(System.Net.HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/?page=2", response.Headers.Location?.OriginalString);
        Assert.Equal("yes", SetCookies.Find(response, ".AspNet.Consent")?.Value.ToString());
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task PostAccept_ForeignReturnUrl_RedirectsHome(string returnUrl)
    {
        using var response = await SendAsync(HttpMethod.Post, "/consent/accept", form: new() { ["returnUrl"] = returnUrl });

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task GetHome_AfterAccept_IssuesVisitorCookieAndShowsPersistentMode()
    {
        using var response = await SendAsync(HttpMethod.Get, "/", cookie: ".AspNet.Consent=yes");
        var page = await ParseAsync(response);

        var cookie = SetCookies.Find(response, VisitorCookie);
        Assert.NotNull(cookie);
        Assert.Equal("Persistent", page.QuerySelector("#visitor-mode")?.TextContent);
        Assert.Equal(cookie.Value.ToString(), page.QuerySelector("#visitor-id")?.TextContent);
        Assert.Null(page.QuerySelector("#consent-banner"));
        Assert.NotNull(page.QuerySelector("#consent-withdraw"));
    }

    [Fact]
    public async Task GetHome_ReturningConsentedVisitor_KeepsIdWithoutSetCookie()
    {
        using var response = await SendAsync(HttpMethod.Get, "/", cookie: $".AspNet.Consent=yes; {VisitorCookie}={ReturningId}");
        var page = await ParseAsync(response);

        Assert.Equal(ReturningId, page.QuerySelector("#visitor-id")?.TextContent);
        Assert.Null(SetCookies.Find(response, VisitorCookie));
    }

    [Fact]
    public async Task PostDecline_Always_RecordsDeclineInNecessaryCookie()
    {
        using var response = await SendAsync(HttpMethod.Post, "/consent/decline");

        Assert.Equal(System.Net.HttpStatusCode.SeeOther, response.StatusCode);
        var declined = SetCookies.Find(response, "shop_consent");
        Assert.Equal("declined", declined?.Value.ToString());
        Assert.True(declined!.HttpOnly);
        Assert.Null(SetCookies.Find(response, VisitorCookie));
    }

    [Fact]
    public async Task GetHome_AfterDecline_IsDisabledWithoutBannerOrCookie()
    {
        using var response = await SendAsync(HttpMethod.Get, "/", cookie: "shop_consent=declined");
        var page = await ParseAsync(response);

        Assert.Equal("Disabled", page.QuerySelector("#visitor-mode")?.TextContent);
        Assert.Equal("Denied", page.QuerySelector("#visitor-consent")?.TextContent);
        Assert.Equal("none (visitor: null)", page.QuerySelector("#visitor-id")?.TextContent);
        Assert.Null(page.QuerySelector("#consent-banner"));
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task GetHome_DeclinedVisitorWithOldVisitorCookie_DeletesIt()
    {
        using var response = await SendAsync(HttpMethod.Get, "/", cookie: $"shop_consent=declined; {VisitorCookie}={ReturningId}");

        var cookie = SetCookies.Find(response, VisitorCookie);
        Assert.NotNull(cookie);
        Assert.True(SetCookies.IsDeletion(cookie));
    }

    [Fact]
    public async Task PostWithdraw_ConsentedVisitor_DeletesVisitorAndConsentCookies()
    {
        using var response = await SendAsync(HttpMethod.Post, "/consent/withdraw", cookie: $".AspNet.Consent=yes; {VisitorCookie}={ReturningId}");

        Assert.Equal(System.Net.HttpStatusCode.SeeOther, response.StatusCode);
        Assert.True(SetCookies.IsDeletion(SetCookies.Find(response, VisitorCookie)!));
        Assert.True(SetCookies.IsDeletion(SetCookies.Find(response, ".AspNet.Consent")!));
        Assert.Equal("declined", SetCookies.Find(response, "shop_consent")?.Value.ToString());
    }

    [Fact]
    public async Task GetHome_GpcWithConsentAndCookie_IsDisabledAndDeletesCookie()
    {
        using var response = await SendAsync(HttpMethod.Get, "/", cookie: $".AspNet.Consent=yes; {VisitorCookie}={ReturningId}", gpc: true);
        var page = await ParseAsync(response);

        Assert.Equal("Disabled", page.QuerySelector("#visitor-mode")?.TextContent);
        Assert.True(SetCookies.IsDeletion(SetCookies.Find(response, VisitorCookie)!));
    }

    [Fact]
    public async Task GetHome_HostileVisitorCookie_IsReplacedAndNotRendered()
    {
        const string hostile = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";

        using var response = await SendAsync(HttpMethod.Get, "/", cookie: $".AspNet.Consent=yes; {VisitorCookie}={hostile}");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("alert(1)", html, StringComparison.Ordinal);
        Assert.NotEqual(hostile, SetCookies.Find(response, VisitorCookie)?.Value.ToString());
    }

    [Fact]
    public async Task GetHome_QueryParameterInProduction_IsIgnored()
    {
        using var response = await SendAsync(HttpMethod.Get, "/?clerk_visitor=Forced123", cookie: $".AspNet.Consent=yes; {VisitorCookie}={ReturningId}");
        var page = await ParseAsync(response);

        Assert.Equal(ReturningId, page.QuerySelector("#visitor-id")?.TextContent);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? cookie = null, bool gpc = false, Dictionary<string, string>? form = null)
    {
        var client = factory.CreateVisitorClient();
        using var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (gpc)
        {
            request.Headers.Add("Sec-GPC", "1");
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new FormUrlEncodedContent(form ?? []);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> ParseAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new HtmlParser().ParseDocument(html);
    }
}
