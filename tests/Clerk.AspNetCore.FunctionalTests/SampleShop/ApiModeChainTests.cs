using Clerk.AspNetCore.FunctionalTests.Browser;
using Microsoft.Playwright;

namespace Clerk.AspNetCore.FunctionalTests.SampleShop;

/// <summary>
/// The chain in a real browser on the sample shop in API mode: a recommendation rendered on the server → a click the
/// beacon logs → checkout → the sale sent from the server, attributed by the emulator to the block's label.
/// </summary>
public sealed class ApiModeChainTests(BrowserFixture browser, ApiShopServer shop)
    : IClassFixture<BrowserFixture>, IClassFixture<ApiShopServer>, IAsyncLifetime
{
    private IBrowserContext _context = null!;

    public ValueTask InitializeAsync()
    {
        shop.Emulator.Reset();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }

    [Fact]
    public async Task Accept_ClickServerRenderedRecommendationThenBuy_ServerSaleAttributedToTheLabel()
    {
        var page = await OpenHomeAsync("#consent-accept", "Persistent");
        var visitor = (await _context.CookiesAsync()).Single(c => c.Name == "clerk_visitor").Value;

        // Rendered by the shop from Clerk's answer on the server; no Clerk.js on the page.
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.Clerk === 'undefined'"));
        Assert.Equal("[\"Home - Trending\"]", await page.GetAttributeAsync("#home-trending", "data-clerk-labels"));
        var product = page.Locator("#home-trending [data-clerk-product-id]").First;
        var productId = (await product.GetAttributeAsync("data-clerk-product-id"))!;

        await product.ClickAsync();
        await page.WaitForURLAsync($"**/products/{productId}");
        await page.SelectOptionAsync("#variant", new SelectOptionValue { Index = 1 });
        await page.FillAsync("#quantity", "2");
        await page.ClickAsync("#add-to-cart");
        await page.WaitForURLAsync("**/cart");
        await page.ClickAsync("#go-to-checkout");
        await page.WaitForURLAsync("**/checkout");
        await page.FillAsync("#email", "buyer@example.com");
        await page.ClickAsync("#place-order");
        await page.WaitForURLAsync("**/confirmation");
        var order = (await page.TextContentAsync("#order-number"))!;
        await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.NetworkIdle });

        var sale = await WaitForAsync(() => shop.Emulator.GetSale(order), $"sale {order}");
        var click = Assert.Single(shop.Emulator.GetCalls("log/click"));
        Assert.Equal(visitor, click.Visitor);
        Assert.Equal(["Home - Trending"], click.Labels);
        // The catalog's IDs are integers: the page sends the ID as a JSON number, and Clerk (the emulator) accepts it.
        Assert.Equal(System.Text.Json.JsonValueKind.Number, click.Arguments.GetProperty("product").ValueKind);
        Assert.True(click.Succeeded, click.ErrorMessage);
        Assert.Equal("recommendations/trending", click.Arguments.GetProperty("api").GetString());
        Assert.Equal(visitor, sale.Sale.Visitor);
        Assert.Equal(productId, Assert.Single(sale.Sale.Products).ProductId);
        Assert.True(sale.ClerkInfluenced);
        Assert.Contains("Home - Trending", sale.Labels);
        Assert.Contains(shop.Emulator.GetCalls("log/product"), c => c.Visitor == visitor);
        Assert.Single(shop.Emulator.GetCalls("log/sale"));
        Assert.Empty(sale.Duplicates);
    }

    [Fact]
    public async Task Decline_BeaconClickAndServerSaleCarryNoVisitor()
    {
        var page = await OpenHomeAsync("#consent-decline", "Disabled");

        var product = page.Locator("#home-popular [data-clerk-product-id]").First;
        var productId = (await product.GetAttributeAsync("data-clerk-product-id"))!;
        await product.ClickAsync();
        await page.WaitForURLAsync($"**/products/{productId}");
        await page.ClickAsync("#add-to-cart");
        await page.WaitForURLAsync("**/cart");
        await page.ClickAsync("#go-to-checkout");
        await page.FillAsync("#email", "private@example.com");
        await page.ClickAsync("#place-order");
        await page.WaitForURLAsync("**/confirmation");
        var order = (await page.TextContentAsync("#order-number"))!;

        var sale = await WaitForAsync(() => shop.Emulator.GetSale(order), $"sale {order}");
        Assert.Null(sale.Sale.Visitor);
        Assert.Null(sale.Sale.Email);
        var click = await WaitForAsync(() => shop.Emulator.GetCalls("log/click").FirstOrDefault(), "the click");
        Assert.Null(click.Visitor);
        Assert.Equal(["Home - Popular"], click.Labels);
        Assert.DoesNotContain(await _context.CookiesAsync(), c => c.Name == "clerk_visitor");
    }

    /// <summary>A fresh browser on the home page, after the visitor pressed a consent button.</summary>
    private async Task<IPage> OpenHomeAsync(string consentButton, string expectedMode)
    {
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = shop.BaseAddress.ToString() });
        var page = await _context.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync(consentButton);
        await page.WaitForSelectorAsync($"#visitor-mode:text('{expectedMode}')");
        return page;
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Nothing for {what} within 10 s.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
