using Clerk.AspNetCore.FunctionalTests.Browser;
using Clerk.AspNetCore.FunctionalTests.SampleShop;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.FunctionalTests.Journeys;

/// <summary>
/// Consent given mid-visit through a consent tool (Cookiebot) rather than the shop's banner: the tool's script writes
/// its <c>CookieConsent</c> cookie and raises its event, and the page gives Clerk.js the visitor without a reload.
/// </summary>
public sealed class ConsentToolJourneyTests(BrowserFixture browser, CookiebotShopServer shop)
    : IClassFixture<BrowserFixture>, IClassFixture<CookiebotShopServer>, IAsyncLifetime
{
    // What Cookiebot writes once the visitor accepts statistics (URL-encoded by the script below).
    private const string Accepted = "{stamp:'journey',necessary:true,preferences:false,statistics:true,marketing:false,method:'explicit',ver:1,utc:1764072000000,region:'dk'}";

    private ShopJourney _journey = null!;

    public async ValueTask InitializeAsync() => _journey = await ShopJourney.StartAsync(browser, shop);

    public async ValueTask DisposeAsync() => await _journey.DisposeAsync();

    [Fact]
    public async Task ConsentMidVisit_ThroughACookiebotCookieSetByScript_SaleCreditedToTheTrendingBlockWithOneVisitor()
    {
        var page = _journey.Page;
        await page.GotoAsync("/");
        Assert.Equal("Cookieless", await page.TextContentAsync("#visitor-mode"));
        var visitor = (await page.TextContentAsync("#visitor-id"))!;
        var productId = await _journey.ClickProductAsync("#home-trending");

        // Cookiebot's script, as the visitor clicks its "Allow": the cookie, then its event on window.
        await page.EvaluateAsync(
            "value => { document.cookie = 'CookieConsent=' + encodeURIComponent(value) + '; path=/'; window.dispatchEvent(new Event('CookiebotOnAccept')); }",
            Accepted);
        Assert.Equal(visitor, await _journey.WaitForCookieAsync());
        var order = await _journey.BuyAsync();

        await _journey.AssertCreditedAsync(order, visitor, productId, "Home - Trending");
    }
}

/// <summary>The sample shop with Cookiebot as its consent tool, Clerk listed under statistics.</summary>
public sealed class CookiebotShopServer : ShopServer
{
    protected override void ConfigureShop(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddClerkConsentTool(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics));
}
