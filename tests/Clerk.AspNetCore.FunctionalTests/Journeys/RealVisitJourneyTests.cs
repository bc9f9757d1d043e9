using Clerk.AspNetCore.FunctionalTests.Browser;
using Clerk.AspNetCore.FunctionalTests.SampleShop;
using Microsoft.Playwright;

namespace Clerk.AspNetCore.FunctionalTests.Journeys;

/// <summary>
/// Real visits that break the chain on the happy path's blind side (issue 16), in chromium against the sample shop in
/// its default configuration on the emulator. Each journey ends with Clerk crediting the sale to the clicked block's
/// label, with one visitor from the first page to the sale.
/// </summary>
public sealed class RealVisitJourneyTests(BrowserFixture browser, ShopServer shop)
    : IClassFixture<BrowserFixture>, IClassFixture<ShopServer>, IAsyncLifetime
{
    private ShopJourney _journey = null!;

    public async ValueTask InitializeAsync() => _journey = await ShopJourney.StartAsync(browser, shop);

    public async ValueTask DisposeAsync() => await _journey.DisposeAsync();

    /// <summary>
    /// Undecided (cookieless) when clicking, accepts cookies on the product page through the banner, buys: the
    /// persistent cookie must carry the ID the visitor already had today.
    /// </summary>
    [Fact]
    public async Task ConsentMidVisit_ThroughTheBanner_SaleCreditedToTheTrendingBlockWithOneVisitor()
    {
        var page = _journey.Page;
        await page.GotoAsync("/");
        Assert.Equal("Cookieless", await page.TextContentAsync("#visitor-mode"));
        var visitor = (await page.TextContentAsync("#visitor-id"))!;

        var productId = await _journey.ClickProductAsync("#home-trending");
        await page.ClickAsync("#consent-accept");
        await page.WaitForSelectorAsync("#consent-banner", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
        Assert.EndsWith($"/products/{productId}", page.Url, StringComparison.Ordinal);
        Assert.Equal(visitor, await _journey.CookieAsync());
        var order = await _journey.BuyAsync();

        await _journey.AssertCreditedAsync(order, visitor, productId, "Home - Trending");
    }

    /// <summary>
    /// Clerk.js blocked as an ad blocker blocks it (its request fails), default configuration: the click must reach
    /// Clerk through the first-party fallback of &lt;clerk-script&gt; and the click beacon, the sale from the server.
    /// </summary>
    [Fact]
    public async Task ClerkJsBlocked_DefaultConfiguration_ClickThroughTheFallbackSaleFromTheServerCreditedToHomeNew()
    {
        var page = _journey.Page;
        var blocked = 0;
        await _journey.Context.RouteAsync("**/clerk.js", route =>
        {
            Interlocked.Increment(ref blocked);
            return route.AbortAsync();
        });
        await page.GotoAsync("/");
        await page.ClickAsync("#consent-accept");
        await page.WaitForSelectorAsync("#visitor-mode:text('Persistent')");
        var visitor = (await _journey.CookieAsync())!;
        Assert.Equal(visitor, await page.TextContentAsync("#visitor-id"));
        Assert.True(blocked > 0, "Clerk.js was never requested, so nothing was blocked.");

        var productId = await _journey.ClickProductAsync("#home-new");
        var order = await _journey.BuyAsync();

        await _journey.AssertCreditedAsync(order, visitor, productId, "Home - New");
    }

    /// <summary>
    /// Pays on the simulated payment provider (another site), which sends the buyer back with a cross-site form POST:
    /// no shop cookie comes with it, none is replaced, and the visitor keeps one ID across the return.
    /// </summary>
    [Fact]
    public async Task PaymentRedirect_CrossSitePostReturn_VisitorKeepsOneIdAndSaleCreditedToTheTrendingBlock()
    {
        var page = _journey.Page;
        await page.GotoAsync("/");
        await page.ClickAsync("#consent-accept");
        await page.WaitForSelectorAsync("#visitor-mode:text('Persistent')");
        var visitor = (await _journey.CookieAsync())!;
        var productId = await _journey.ClickProductAsync("#home-trending");
        await _journey.ToCheckoutAsync();

        await page.ClickAsync("#pay-by-redirect");
        await page.WaitForURLAsync("**/simulated-payment/pay**");
        Assert.Equal("localhost", new Uri(page.Url).Host);
        var returned = await page.RunAndWaitForRequestAsync(() => page.ClickAsync("#pay-now"), "**/checkout/return");
        await page.WaitForURLAsync("**/confirmation");
        var order = (await page.TextContentAsync("#order-number"))!;

        // The return really was the cross-site POST without the shop's cookies, and its answer set no visitor cookie.
        Assert.Equal("POST", returned.Method);
        var sent = await returned.AllHeadersAsync();
        Assert.DoesNotContain(ShopJourney.VisitorCookie, sent.GetValueOrDefault("cookie") ?? "", StringComparison.Ordinal);
        Assert.Equal("cross-site", sent.GetValueOrDefault("sec-fetch-site"));
        var answer = (await returned.ResponseAsync())!;
        Assert.Equal(303, answer.Status);
        Assert.DoesNotContain(ShopJourney.VisitorCookie, (await answer.AllHeadersAsync()).GetValueOrDefault("set-cookie") ?? "", StringComparison.Ordinal);
        Assert.Equal(visitor, await _journey.CookieAsync());

        await _journey.AssertCreditedAsync(order, visitor, productId, "Home - Trending");
    }
}
