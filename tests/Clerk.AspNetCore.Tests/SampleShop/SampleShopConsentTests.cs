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
        Assert.Empty(CookiesButAntiforgery(response));
    }

    [Fact]
    public async Task GetHome_ManyVisitsWithoutDecision_NeverSetsACookieButTheBannersAntiforgeryCookie()
    {
        for (var i = 0; i < 10; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, "/");

            Assert.Empty(CookiesButAntiforgery(response));
        }
    }

    [Fact]
    public async Task GetHome_BannerForms_CarryTheAntiforgeryTokenWithANecessarySessionCookie()
    {
        using var response = await SendAsync(HttpMethod.Get, "/");
        var page = await ParseAsync(response);

        // Strictly necessary (it protects the consent buttons themselves), for this browser session only, never
        // readable by script nor sent by another site's page: no consent needed, nothing that outlives the visit.
        var cookie = SetCookies.Find(response, ShopFormToken.CookieName);
        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, cookie.SameSite);
        Assert.Null(cookie.Expires);
        Assert.Null(cookie.MaxAge);
        Assert.All(page.QuerySelectorAll("#consent-banner form"), form =>
            Assert.NotEmpty(form.QuerySelector($"input[name={ShopFormToken.FieldName}]")!.GetAttribute("value")!));
    }

    [Fact]
    public async Task PostAccept_CrossSiteFormWithoutToken_Answers400AndGrantsNothing()
    {
        // What a hostile page's auto-submitted form sends: the fields, but no token (it cannot read one).
        using var response = await SendAsync(HttpMethod.Post, "/consent/accept", form: new() { ["returnUrl"] = "/" }, withToken: false);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(SetCookies.Raw(response));
        Assert.Contains("reload", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostAccept_TokenWithoutItsCookie_Answers400AndGrantsNothing()
    {
        // Another site can fetch a token for itself, but the visitor's browser does not have the cookie it belongs to.
        var token = await ShopFormToken.FetchAsync(factory.CreateVisitorClient());

        using var response = await SendAsync(HttpMethod.Post, "/consent/accept", form: new() { ["returnUrl"] = "/", [ShopFormToken.FieldName] = token.Value }, withToken: false);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(SetCookies.Find(response, ".AspNet.Consent"));
    }

    [Fact]
    public async Task PostDecline_WithoutToken_Answers400AndRecordsNothing()
    {
        using var response = await SendAsync(HttpMethod.Post, "/consent/decline", withToken: false);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(SetCookies.Find(response, "shop_consent"));
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
        Assert.Empty(CookiesButAntiforgery(response));
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

    [Fact]
    public async Task PostAccept_UndecidedVisitor_VisitorCookieKeepsTheCookielessIdThePageShowed()
    {
        // Clicks before consent and the sale after it share one visitor.
        using var home = await SendAsync(HttpMethod.Get, "/");
        var cookieless = (await ParseAsync(home)).QuerySelector("#visitor-id")?.TextContent;

        using var accept = await SendAsync(HttpMethod.Post, "/consent/accept", form: new() { ["returnUrl"] = "/" });

        Assert.True(VisitorId.IsValid(cookieless), cookieless);
        Assert.Equal(cookieless, SetCookies.Find(accept, VisitorCookie)?.Value.ToString());
        Assert.True(accept.Headers.CacheControl is { NoStore: true }, accept.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task PostAccept_AfterDecline_VisitorCookieGetsANewIdNotTheEarlierCookielessOne()
    {
        using var home = await SendAsync(HttpMethod.Get, "/");
        var cookieless = (await ParseAsync(home)).QuerySelector("#visitor-id")?.TextContent;

        using var accept = await SendAsync(HttpMethod.Post, "/consent/accept", cookie: "shop_consent=declined", form: new() { ["returnUrl"] = "/" });
        var issued = SetCookies.Find(accept, VisitorCookie)?.Value.ToString();

        Assert.True(VisitorId.IsValid(issued), issued);
        Assert.NotEqual(cookieless, issued);
    }

    [Fact]
    public async Task GetSearch_ReturningVisitor_IsPrivateWithoutSetCookie()
    {
        // The page renders the visitor's ID (<clerk-script>): no shared cache may keep it.
        using var response = await SendAsync(HttpMethod.Get, "/search?q=shirt", cookie: $".AspNet.Consent=yes; {VisitorCookie}={ReturningId}");

        Assert.Contains(ReturningId, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl is { Private: true }, response.Headers.CacheControl?.ToString());
        Assert.Null(SetCookies.Find(response, VisitorCookie));
    }

    /// <summary>Cookies a response sets, but the antiforgery cookie that comes with the shop's forms.</summary>
    private static List<string> CookiesButAntiforgery(HttpResponseMessage response) =>
        SetCookies.Raw(response).Where(c => !c.StartsWith(ShopFormToken.CookieName + "=", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// One request of a browser that keeps no cookies but <paramref name="cookie"/>. A POST carries, unless
    /// <paramref name="withToken"/> is false, the antiforgery token of the shop's own forms and its cookie.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? cookie = null, bool gpc = false, Dictionary<string, string>? form = null, bool withToken = true)
    {
        var client = factory.CreateVisitorClient();
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post && withToken)
        {
            var token = await ShopFormToken.FetchAsync(factory.CreateVisitorClient());
            form = new Dictionary<string, string>(form ?? []) { [ShopFormToken.FieldName] = token.Value };
            cookie = cookie is null ? token.Cookie : $"{cookie}; {token.Cookie}";
        }

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
