using System.Globalization;
using Clerk.AspNetCore.FunctionalTests.Browser;
using Clerk.AspNetCore.FunctionalTests.SampleShop;
using Clerk.AspNetCore.Testing;
using Microsoft.Playwright;

namespace Clerk.AspNetCore.FunctionalTests.Journeys;

/// <summary>
/// One shopper's visit to the sample shop in a fresh browser context, with the steps the journeys share: click a
/// product in a labelled block, buy it, and wait for the emulator (Clerk) to receive the sale.
/// </summary>
internal sealed class ShopJourney(ShopServer shop, IBrowserContext context, IPage page) : IAsyncDisposable
{
    public const string VisitorCookie = "clerk_visitor";

    private readonly List<string> _console = [];

    public IPage Page => page;

    public IBrowserContext Context => context;

    public static async Task<ShopJourney> StartAsync(BrowserFixture browser, ShopServer shop)
    {
        shop.Emulator.Reset();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = shop.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var journey = new ShopJourney(shop, context, page);
        page.Console += (_, message) => journey._console.Add(message.Text);
        return journey;
    }

    public async Task<string?> CookieAsync(string name = VisitorCookie) =>
        (await context.CookiesAsync([shop.BaseAddress.ToString()])).FirstOrDefault(c => c.Name == name)?.Value;

    /// <summary>Waits (up to 5 s) for the shop's page to have set a cookie, as a fetch in the page does.</summary>
    public async Task<string> WaitForCookieAsync(string name = VisitorCookie)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            if (await CookieAsync(name) is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No {name} cookie within 5 s. {Diagnostics()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Clicks the first product of a block and waits for its page; returns the product's ID.</summary>
    public async Task<long> ClickProductAsync(string block)
    {
        var product = page.Locator($"{block} [data-clerk-product-id]").First;
        await product.WaitForAsync();
        var productId = long.Parse((await product.GetAttributeAsync("data-clerk-product-id"))!, CultureInfo.InvariantCulture);
        await product.ClickAsync();
        await page.WaitForURLAsync($"**/products/{productId}");
        return productId;
    }

    /// <summary>From a product page: a variant into the cart, then to the checkout form with the e-mail filled in.</summary>
    public async Task ToCheckoutAsync()
    {
        await page.SelectOptionAsync("#variant", new SelectOptionValue { Index = 1 });
        await page.FillAsync("#quantity", "1");
        await page.ClickAsync("#add-to-cart");
        await page.WaitForURLAsync("**/cart");
        await page.ClickAsync("#go-to-checkout");
        await page.WaitForURLAsync("**/checkout");
        await page.FillAsync("#email", "buyer@example.com");
    }

    /// <summary>From a product page: buys it the usual way and returns the order number.</summary>
    public async Task<string> BuyAsync()
    {
        await ToCheckoutAsync();
        await page.ClickAsync("#place-order");
        await page.WaitForURLAsync("**/confirmation");
        return (await page.TextContentAsync("#order-number"))!;
    }

    /// <summary>Waits (up to 10 s) for Clerk to have the sale, and returns it with its attribution.</summary>
    public async Task<ClerkEmulatorSaleReport> WaitForSaleAsync(string order)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (shop.Emulator.GetSale(order) is { } sale)
            {
                return sale;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No sale {order} within 10 s. {Diagnostics()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// The journeys' common end: Clerk received the sale with the one visitor of the whole visit, credited it to the
    /// clicked block's label, and every click of the visit carried that same visitor.
    /// </summary>
    public async Task AssertCreditedAsync(string order, string visitor, long productId, string label)
    {
        var sale = await WaitForSaleAsync(order);
        Assert.Equal(visitor, sale.Sale.Visitor);
        Assert.Equal(productId.ToString(CultureInfo.InvariantCulture), Assert.Single(sale.Sale.Products).ProductId);
        Assert.True(sale.ClerkInfluenced, Diagnostics());
        Assert.Contains(label, sale.Labels);
        var clicks = shop.Emulator.GetCalls("log/click");
        Assert.Contains(clicks, c => c.Labels.Contains(label));
        Assert.All(clicks, c => Assert.Equal(visitor, c.Visitor));
    }

    public string Diagnostics() =>
        $"Calls: {string.Join(" | ", shop.Emulator.GetCalls().Select(c => $"{c.Endpoint} visitor={c.Visitor} labels={string.Join(',', c.Labels)} ok={c.Succeeded} {c.ErrorMessage}"))}. Console: {string.Join(" | ", _console)}";

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
