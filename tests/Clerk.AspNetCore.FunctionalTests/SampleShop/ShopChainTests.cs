using Clerk.AspNetCore.FunctionalTests.Browser;
using Clerk.AspNetCore.Testing;
using Microsoft.Playwright;

namespace Clerk.AspNetCore.FunctionalTests.SampleShop;

/// <summary>
/// The whole chain in a real browser on the sample shop: consent → visitor → a click on a labelled Clerk block →
/// cart → checkout → one sale, as the emulator (standing in for Clerk) receives it. Each test has a fresh browser
/// context. Screenshots land in the test output's screenshots folder.
/// </summary>
public sealed class ShopChainTests(BrowserFixture browser, ShopServer shop)
    : IClassFixture<BrowserFixture>, IClassFixture<ShopServer>, IAsyncLifetime
{
    private const string VisitorCookie = "clerk_visitor";
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly List<string> _console = [];
    private readonly List<string> _dialogs = [];
    private IBrowserContext _context = null!;

    public ValueTask InitializeAsync()
    {
        shop.Emulator.Reset();
        Directory.CreateDirectory(Screenshots);
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
    public async Task Accept_ClickTrendingThenBuy_SaleAttributedToTheLabelOnceWhateverTheReloads()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#consent-accept");
        await page.WaitForSelectorAsync("#visitor-mode:text('Persistent')");
        var visitor = (await CookieAsync(VisitorCookie))!;
        Assert.Equal(visitor, await page.TextContentAsync("#visitor-id"));
        await page.WaitForSelectorAsync("#home-trending [data-clerk-product-id]");
        await ShotAsync(page, "home");

        var (productId, order) = await ClickAndBuyAsync(page, "#home-trending", shoot: true);

        var sale = await WaitForSaleAsync(order);
        Assert.Equal(visitor, sale.Sale.Visitor);
        var line = Assert.Single(sale.Sale.Products);
        Assert.Equal(productId.ToString(System.Globalization.CultureInfo.InvariantCulture), line.ProductId);
        Assert.True(line.IsNumericId);
        Assert.Equal(UnitPrice(productId), line.Price);
        Assert.Equal(2, line.Quantity);
        Assert.True(sale.ClerkInfluenced, Diagnostics());
        Assert.Contains("Home - Trending", sale.Labels);
        Assert.Contains(shop.Emulator.GetCalls("log/click"), c => c.Visitor == visitor && c.Labels.Contains("Home - Trending"));

        for (var i = 0; i < 3; i++)
        {
            await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.NetworkIdle });
        }

        var secondTab = await _context.NewPageAsync();
        await secondTab.GotoAsync(page.Url, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        Assert.Single(shop.Emulator.GetCalls("log/sale"));
        Assert.Empty(shop.Emulator.GetSale(order)!.Duplicates);
    }

    [Fact]
    public async Task Decline_NoVisitorCookieEverAndClerkGetsVisitorNull_SaleStillRecorded()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await AssertNoVisitorCookieAsync();
        var undecided = shop.Emulator.GetCalls().Count;
        await page.ClickAsync("#consent-decline");
        await page.WaitForSelectorAsync("#visitor-mode:text('Disabled')");
        Assert.Null(await EvaluateConfiguredVisitorAsync(page));

        var (_, order) = await ClickAndBuyAsync(page, "#home-new", afterEachStep: AssertNoVisitorCookieAsync);

        var sale = await WaitForSaleAsync(order);
        Assert.Null(sale.Sale.Visitor);
        Assert.All(shop.Emulator.GetCalls().Skip(undecided), call => Assert.Null(call.Visitor));
        Assert.Contains(shop.Emulator.GetCalls("log/click"), c => c.Labels.Contains("Home - New"));
    }

    [Fact]
    public async Task Undecided_NoCookie_ClicksAndSaleShareTheServerDerivedVisitor()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        Assert.Equal("Cookieless", await page.TextContentAsync("#visitor-mode"));
        var visitor = await page.TextContentAsync("#visitor-id");

        var (_, order) = await ClickAndBuyAsync(page, "#home-new", afterEachStep: AssertNoVisitorCookieAsync);

        var sale = await WaitForSaleAsync(order);
        Assert.Equal(visitor, sale.Sale.Visitor);
        Assert.True(sale.ClerkInfluenced, Diagnostics());
        Assert.Contains("Home - New", sale.Labels);
        Assert.All(shop.Emulator.GetCalls("log/click"), c => Assert.Equal(visitor, c.Visitor));
    }

    [Fact]
    public async Task GlobalPrivacyControl_OnEveryRequest_TreatedAsDeclined()
    {
        var page = await NewPageAsync(new Dictionary<string, string> { ["Sec-GPC"] = "1" });
        await page.GotoAsync("/");
        Assert.Equal("Disabled", await page.TextContentAsync("#visitor-mode"));
        Assert.Null(await EvaluateConfiguredVisitorAsync(page));

        var (_, order) = await ClickAndBuyAsync(page, "#home-new", afterEachStep: AssertNoVisitorCookieAsync);

        var sale = await WaitForSaleAsync(order);
        Assert.Null(sale.Sale.Visitor);
        Assert.All(shop.Emulator.GetCalls(), call => Assert.Null(call.Visitor));
    }

    [Fact]
    public async Task AcceptThenWithdraw_CookieDeletedAndLaterCallsCarryNoVisitor()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#consent-accept");
        await page.WaitForSelectorAsync("#visitor-mode:text('Persistent')");
        Assert.NotNull(await CookieAsync(VisitorCookie));

        await page.GotoAsync("/privacy");
        await page.ClickAsync("#privacy-withdraw");
        await page.WaitForSelectorAsync("#privacy-consent:text('Denied')");
        Assert.Null(await CookieAsync(VisitorCookie));
        var before = shop.Emulator.GetCalls().Count;

        await page.GotoAsync("/");
        Assert.Null(await EvaluateConfiguredVisitorAsync(page));
        var (_, order) = await ClickAndBuyAsync(page, "#home-new", afterEachStep: AssertNoVisitorCookieAsync);

        await WaitForSaleAsync(order);
        var later = shop.Emulator.GetCalls().Skip(before).ToArray();
        Assert.NotEmpty(later);
        Assert.All(later, call => Assert.Null(call.Visitor));
    }

    [Theory]
    [InlineData("onerror", 9001)]
    [InlineData("Storm", 9002)]
    public async Task HostileCatalogData_RendersAsTextRunsNoScriptAndIsTrackedCorrectly(string query, long productId)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#consent-accept");
        await page.WaitForSelectorAsync("#visitor-mode:text('Persistent')");
        var name = shop.Services.GetCatalogName(productId);

        await page.GotoAsync("/search?q=" + Uri.EscapeDataString(query));
        var link = page.Locator($"#search-results [data-clerk-product-id='{productId}']");
        Assert.Equal(name, (await link.Locator(".product-name").TextContentAsync())?.Trim());
        await link.ClickAsync();
        await page.WaitForURLAsync($"**/products/{productId}");
        Assert.Equal(name, await page.TextContentAsync("#product-name"));
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        var order = await BuyFromProductPageAsync(page);

        var sale = await WaitForSaleAsync(order);
        Assert.Equal(productId.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(sale.Sale.Products).ProductId);
        Assert.Contains("Search - Page", sale.Labels);
        Assert.Empty(_dialogs);
        Assert.DoesNotContain(_console, line => line.Contains("not valid JSON", StringComparison.Ordinal));
    }

    private async Task<(long ProductId, string Order)> ClickAndBuyAsync(IPage page, string block, Func<Task>? afterEachStep = null, bool shoot = false)
    {
        var product = page.Locator($"{block} [data-clerk-product-id]").First;
        await product.WaitForAsync();
        var productId = long.Parse((await product.GetAttributeAsync("data-clerk-product-id"))!, System.Globalization.CultureInfo.InvariantCulture);
        await product.ClickAsync();
        await page.WaitForURLAsync($"**/products/{productId}");
        await (afterEachStep?.Invoke() ?? Task.CompletedTask);
        if (shoot)
        {
            await ShotAsync(page, "product");
        }

        var order = await BuyFromProductPageAsync(page, afterEachStep, shoot);
        return (productId, order);
    }

    private async Task<string> BuyFromProductPageAsync(IPage page, Func<Task>? afterEachStep = null, bool shoot = false)
    {
        await page.SelectOptionAsync("#variant", new SelectOptionValue { Index = 1 });
        await page.FillAsync("#quantity", "2");
        await page.ClickAsync("#add-to-cart");
        await page.WaitForURLAsync("**/cart");
        await (afterEachStep?.Invoke() ?? Task.CompletedTask);
        if (shoot)
        {
            await ShotAsync(page, "cart");
        }

        await page.ClickAsync("#go-to-checkout");
        await page.WaitForURLAsync("**/checkout");
        await page.FillAsync("#email", "buyer@example.com");
        await page.ClickAsync("#place-order");
        await page.WaitForURLAsync("**/confirmation");
        await (afterEachStep?.Invoke() ?? Task.CompletedTask);
        if (shoot)
        {
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await ShotAsync(page, "confirmation");
        }

        return (await page.TextContentAsync("#order-number"))!;
    }

    private async Task<IPage> NewPageAsync(Dictionary<string, string>? headers = null)
    {
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = shop.BaseAddress.ToString(),
            ExtraHTTPHeaders = headers,
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
        });
        var page = await _context.NewPageAsync();
        page.Console += (_, message) => _console.Add(message.Text);
        page.Dialog += (_, dialog) =>
        {
            _dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        return page;
    }

    private async Task<string?> CookieAsync(string name) =>
        (await _context.CookiesAsync()).FirstOrDefault(c => c.Name == name)?.Value;

    private async Task AssertNoVisitorCookieAsync() => Assert.Null(await CookieAsync(VisitorCookie));

    /// <summary>The visitor the page gave Clerk.js, read from the config script as the browser parsed it.</summary>
    private static async Task<string?> EvaluateConfiguredVisitorAsync(IPage page)
    {
        var script = await page.EvaluateAsync<string>("() => [...document.scripts].map(s => s.textContent).find(t => t.includes(\"Clerk('config',\"))");
        var start = script.IndexOf("Clerk('config',", StringComparison.Ordinal) + "Clerk('config',".Length;
        var bytes = System.Text.Encoding.UTF8.GetBytes(script[start..]);
        var reader = new System.Text.Json.Utf8JsonReader(bytes);
        using var config = System.Text.Json.JsonDocument.ParseValue(ref reader);
        return config.RootElement.GetProperty("visitor").GetString();
    }

    private decimal UnitPrice(long productId) => shop.Services.GetCatalogPrice(productId);

    private async Task<ClerkEmulatorSaleReport> WaitForSaleAsync(string order)
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

    private string Diagnostics() =>
        $"Calls: {string.Join(" | ", shop.Emulator.GetCalls().Select(c => $"{c.Endpoint} visitor={c.Visitor} labels={string.Join(',', c.Labels)} ok={c.Succeeded} {c.ErrorMessage}"))}. Console: {string.Join(" | ", _console)}";

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"shop-{name}.png"), FullPage = true });
}
