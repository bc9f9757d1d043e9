using Clerk.AspNetCore.FunctionalTests.Browser;
using Clerk.AspNetCore.Testing;
using Microsoft.Playwright;

namespace Clerk.AspNetCore.FunctionalTests.SampleShop;

/// <summary>
/// The tag helpers' markup in a real browser, with (stand-in) Clerk.js: a click on a product in a labelled block, then
/// a purchase, reaches Clerk as one chain — same visitor, the block's label, one sale however often the
/// confirmation is shown.
/// </summary>
public sealed class ShopTagHelperChainTests(BrowserFixture browser, ShopServer shop)
    : IClassFixture<BrowserFixture>, IClassFixture<ShopServer>, IAsyncLifetime
{
    private IBrowserContext _context = null!;
    private readonly List<string> _console = [];

    public async ValueTask InitializeAsync()
    {
        shop.Emulator.Reset();
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = shop.BaseAddress.ToString() });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    [Theory]
    [InlineData("#home-new", "Home - New")]
    [InlineData("#home-trending", "Home - Trending")]
    public async Task ClickThenBuy_ConsentingVisitor_SaleIsAttributedToTheBlocksLabelOnce(string block, string label)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#consent-accept");
        await page.WaitForURLAsync("**/");
        var visitor = await page.TextContentAsync("#visitor-id");

        var product = page.Locator($"{block} [data-clerk-product-id]").First;
        var productId = await product.GetAttributeAsync("data-clerk-product-id");
        await product.ClickAsync();
        await page.WaitForURLAsync($"**/products/{productId}");
        await page.SelectOptionAsync("#variant", new SelectOptionValue { Index = 1 });
        await page.FillAsync("#quantity", "2");
        await page.FillAsync("#email", "buyer@example.com");
        await page.ClickAsync("#buy");
        await page.WaitForURLAsync("**/confirmation");
        var orderNumber = await page.TextContentAsync("#order-number");

        var sale = await WaitForSaleAsync(orderNumber!);
        Assert.Equal(visitor, sale.Sale.Visitor);
        var line = Assert.Single(sale.Sale.Products);
        Assert.Equal(productId, line.ProductId);
        Assert.True(line.IsNumericId);
        Assert.Equal(2, line.Quantity);
        Assert.True(sale.ClerkInfluenced, $"The sale was not attributed. Console: {string.Join(" | ", _console)}");
        Assert.Contains(label, sale.Labels);
        Assert.All(shop.Emulator.GetCalls("log/click"), click => Assert.Equal(visitor, click.Visitor));

        // Refreshes and a second tab render no second sale.
        for (var i = 0; i < 3; i++)
        {
            await page.ReloadAsync();
        }

        var secondTab = await _context.NewPageAsync();
        await secondTab.GotoAsync(page.Url);
        await secondTab.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Single(shop.Emulator.GetCalls("log/sale"));
        Assert.Empty(shop.Emulator.GetSale(orderNumber!)!.Duplicates);
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await _context.NewPageAsync();
        page.Console += (_, message) => _console.Add(message.Text);
        return page;
    }

    private async Task<ClerkEmulatorSaleReport> WaitForSaleAsync(string orderNumber)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (shop.Emulator.GetSale(orderNumber) is { } sale)
            {
                return sale;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No sale {orderNumber} within 10 s. Console: {string.Join(" | ", _console)}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
