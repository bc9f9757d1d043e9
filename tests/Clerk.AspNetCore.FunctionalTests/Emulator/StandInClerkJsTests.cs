using System.Text.Json;
using Clerk.AspNetCore.FunctionalTests.Browser;
using Clerk.AspNetCore.Testing;
using Microsoft.Playwright;

namespace Clerk.AspNetCore.FunctionalTests.Emulator;

/// <summary>The emulator's stand-in Clerk.js in a real browser: queue replay, click beacons, sale spans, rendering.</summary>
public sealed class StandInClerkJsTests : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private readonly BrowserFixture _browser;
    private ClerkEmulator _emulator = null!;
    private PageServer _pages = null!;
    private IBrowserContext _context = null!;
    private readonly List<string> _console = [];
    private readonly List<string> _dialogs = [];

    public StandInClerkJsTests(BrowserFixture browser) => _browser = browser;

    public async ValueTask InitializeAsync()
    {
        _emulator = await ClerkEmulator.StartAsync(o =>
        {
            o.Catalog.Add(new ClerkEmulatorProduct(101, "Wool Sweater", 499.95m) { Url = "/products/101" });
            o.Catalog.Add(new ClerkEmulatorProduct(102, "</script><img src=x onerror=alert(1)>", 10m) { Url = "/products/102" });
            o.Catalog.Add(new ClerkEmulatorProduct(103, "Rain \"Jacket\" it's", 899m) { Url = "/products/103" });

            // Product data is the shop's feed, not the stand-in's: a URL in it must not become a script link.
            o.Catalog.Add(new ClerkEmulatorProduct(104, "Scripted", 1m) { Url = "javascript:alert('href')" });
            o.Catalog.Add(new ClerkEmulatorProduct(105, "Scripted too", 1m) { Url = " JaVa\tScRiPt:alert('href2')" });
            o.Catalog.Add(new ClerkEmulatorProduct(106, "Elsewhere", 1m) { Url = "https://shop.example/products/106" });
            o.Catalog.Add(new ClerkEmulatorProduct(107, "Alpaca Scarf", 1299.5m) { Url = "/products/107", ImageUrl = "/images/107.png", ListPrice = 1500m });
        });
        _pages = await PageServer.StartAsync();
        _context = await _browser.Browser.NewContextAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _pages.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Loader_CommandsQueuedBeforeLoad_AreReplayedInOrder()
    {
        // Each call takes the visitor configured just before it: only an in-order replay pairs them right.
        var page = await OpenAsync("/queue", """
            <script>
              Clerk('config', {visitor: 'VisitorA'});
              Clerk('call', 'log/email', {email: 'first@example.com'});
              Clerk('config', {visitor: 'VisitorB'});
              Clerk('call', 'log/email', {email: 'second@example.com'});
            </script>
            """);

        var calls = await WaitForCallsAsync("log/email", 2);
        var visitorByEmail = calls.ToDictionary(c => c.Arguments.GetProperty("email").GetString()!, c => c.Visitor);

        Assert.Equal("VisitorA", visitorByEmail["first@example.com"]);
        Assert.Equal("VisitorB", visitorByEmail["second@example.com"]);
        Assert.Contains(_console, line => line.StartsWith("[Clerk]", StringComparison.Ordinal));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Click_OnTrackedProduct_SendsBeaconWithLabelsPositionAndVisitor()
    {
        var page = await OpenAsync("/click", """
            <div data-clerk-labels='["Home - Trending"]' data-clerk-api="recommendations/trending">
              <a id="p101" href="/products/101" data-clerk-product-id="101" data-clerk-product-type="number" data-clerk-position="2"><span>Wool Sweater</span></a>
            </div>
            <a id="plain" href="/elsewhere">Not from Clerk</a>
            """);

        await page.ClickAsync("#p101 span");
        var click = Assert.Single(await WaitForCallsAsync("log/click", 1));

        Assert.Equal(101, click.Arguments.GetProperty("product").GetInt64());
        Assert.Equal(["Home - Trending"], click.Labels);
        Assert.Equal("recommendations/trending", click.Arguments.GetProperty("api").GetString());
        Assert.Equal(2, click.Arguments.GetProperty("n").GetInt32());
        Assert.Equal("TestVisitor1", click.Visitor);
        Assert.True(click.Succeeded, click.ErrorMessage);
    }

    [Fact]
    public async Task Click_OnUntrackedLink_SendsNothing()
    {
        var page = await OpenAsync("/plain", """<a id="plain" href="#x">Not from Clerk</a>""");

        await page.ClickAsync("#plain");
        await page.EvaluateAsync("() => new Promise(r => setTimeout(r, 300))");

        Assert.Empty(_emulator.State.GetCalls("log/click"));
    }

    [Fact]
    public async Task SaleSpan_OnConfirmationPage_IsSentWithLinesAndVisitor()
    {
        await OpenAsync("/confirmation", """
            <span class="clerk" data-api="log/sale" data-sale="O-1001" data-email="luke@example.com" data-customer="42"
                  data-products='[{"id":101,"price":499.95,"quantity":2}]'></span>
            """);

        await WaitForCallsAsync("log/sale", 1);
        var sale = _emulator.State.GetSale("O-1001")!.Sale;

        Assert.Equal("TestVisitor1", sale.Visitor);
        Assert.Equal("luke@example.com", sale.Email);
        Assert.Equal("42", sale.Customer);
        Assert.Equal([new ClerkEmulatorSaleLine("101", true, 499.95m, 2)], sale.Products);
    }

    [Fact]
    public async Task RecommendationSpan_RendersClickTrackedListWithHostileNamesAsText()
    {
        var page = await OpenAsync("/recommendations", """
            <span class="clerk" data-api="recommendations/popular" data-limit="3" data-labels='["Home - Popular"]'></span>
            """);

        await page.WaitForSelectorAsync(".clerk-emulator-results a");
        var texts = await page.Locator(".clerk-emulator-results a").AllTextContentsAsync();
        await page.Locator(".clerk-emulator-results a").Nth(2).ClickAsync();
        var click = Assert.Single(await WaitForCallsAsync("log/click", 1));

        Assert.Contains(texts, t => t.StartsWith("</script><img src=x onerror=alert(1)>", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("Rain \"Jacket\" it's", StringComparison.Ordinal));
        Assert.Equal(0, await page.Locator(".clerk-emulator-results img").CountAsync());
        Assert.Empty(_dialogs);
        Assert.Equal(103, click.Arguments.GetProperty("product").GetInt64());
        Assert.Equal(["Home - Popular"], click.Labels);
        Assert.Equal(["Home - Popular"], Assert.Single(_emulator.State.GetCalls("recommendations/popular")).Labels);
    }

    [Theory]
    [InlineData("da-DK", "1.299,50", "1.500,00")]
    [InlineData("en-US", "1,299.50", "1,500.00")]
    [InlineData("", "1,299.50", "1,500.00")]
    [InlineData("not a language!", "1,299.50", "1,500.00")]
    public async Task RecommendationSpan_Card_ShowsImageNameAndPricesInThePagesCulture(string lang, string price, string listPrice)
    {
        var page = await OpenAsync("/cards", """
            <span class="clerk" data-api="search/search" data-query="alpaca" data-limit="1" data-labels='["Search - Page"]'></span>
            """, lang: lang);

        await page.WaitForSelectorAsync(".clerk-emulator-card");
        var card = page.Locator(".clerk-emulator-card a[data-clerk-product-id='107']");

        Assert.Equal("Alpaca Scarf", await card.Locator(".clerk-emulator-name").TextContentAsync());
        Assert.Equal(price, await card.Locator(".clerk-emulator-price").EvaluateAsync<string>("e => e.firstChild.textContent"));
        Assert.Equal(listPrice, await card.Locator(".clerk-emulator-list-price").TextContentAsync());
        Assert.Equal(new Uri(_pages.BaseAddress, "/images/107.png").ToString(), await card.Locator("img").GetAttributeAsync("src"));
        Assert.Equal("Alpaca Scarf", await card.Locator("img").GetAttributeAsync("alt"));
    }

    [Fact]
    public async Task RecommendationSpan_CardImageClicked_LogsTheClick()
    {
        var page = await OpenAsync("/card-click", """
            <span class="clerk" data-api="search/search" data-query="alpaca" data-limit="1" data-labels='["Search - Page"]'></span>
            """);

        await page.WaitForSelectorAsync(".clerk-emulator-card img");
        await page.Locator(".clerk-emulator-card img").ClickAsync();
        var click = Assert.Single(await WaitForCallsAsync("log/click", 1));

        Assert.Equal(107, click.Arguments.GetProperty("product").GetInt64());
        Assert.Equal(["Search - Page"], click.Labels);
    }

    [Fact]
    public async Task Config_VisitorNull_SendsNullVisitor()
    {
        await OpenAsync("/no-visitor", """<script>Clerk('call', 'log/product', {product: 101});</script>""", visitor: "null");

        var call = Assert.Single(await WaitForCallsAsync("log/product", 1));

        Assert.Null(call.Visitor);
        Assert.Equal(JsonValueKind.Null, call.Arguments.GetProperty("visitor").ValueKind);
    }

    [Fact]
    public async Task Config_VisitorNullWithQueryParameter_StaysWithoutVisitor()
    {
        // The server said visitor: null (the visitor declined); a link with ?clerk_visitor= must not give them one.
        await OpenAsync("/declined", """<script>Clerk('call', 'log/product', {product: 101});</script>""", visitor: "null", query: "?clerk_visitor=Forced123");

        var call = Assert.Single(await WaitForCallsAsync("log/product", 1));

        Assert.Null(call.Visitor);
        Assert.Equal(JsonValueKind.Null, call.Arguments.GetProperty("visitor").ValueKind);
    }

    [Fact]
    public async Task Config_VisitorIdWithQueryParameter_TakesTheForcedId()
    {
        await OpenAsync("/forced", """<script>Clerk('call', 'log/product', {product: 101});</script>""", query: "?clerk_visitor=Forced123");

        Assert.Equal("Forced123", Assert.Single(await WaitForCallsAsync("log/product", 1)).Visitor);
    }

    [Fact]
    public async Task RecommendationSpan_ProductUrls_OnlyHttpAndRelativeBecomeLinks()
    {
        var page = await OpenAsync("/urls", """
            <span class="clerk" data-api="recommendations/popular" data-limit="10" data-labels='["Home - Popular"]'></span>
            """);

        await page.WaitForSelectorAsync(".clerk-emulator-results a");
        async Task<string?> Href(int id) => await page.Locator($".clerk-emulator-results a[data-clerk-product-id='{id}']").GetAttributeAsync("href");

        Assert.Null(await Href(104));
        Assert.Null(await Href(105));
        Assert.Equal("https://shop.example/products/106", await Href(106));
        Assert.Equal(new Uri(_pages.BaseAddress, "/products/101").ToString(), await Href(101));
        Assert.Equal(0, await page.Locator(".clerk-emulator-results a[href^='javascript' i]").CountAsync());
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task Config_VisitorPersistent_KeepsOneIdAcrossPages()
    {
        await OpenAsync("/persistent-1", """<script>Clerk('call', 'log/product', {product: 101});</script>""", visitor: "'persistent'");
        await OpenAsync("/persistent-2", """<script>Clerk('call', 'log/product', {product: 102});</script>""", visitor: "'persistent'");

        var calls = await WaitForCallsAsync("log/product", 2);

        Assert.Equal(2, calls.Count);
        Assert.NotNull(calls[0].Visitor);
        Assert.Matches("^[A-Za-z0-9]{8}$", calls[0].Visitor!);
        Assert.Equal(calls[0].Visitor, calls[1].Visitor);
    }

    [Fact]
    public async Task Context_ProductAndCategory_LogsTheViews()
    {
        await OpenAsync("/context", """<script>Clerk('context', {product: 101, category: 7});</script>""");

        // JSONP arguments arrive as query text, as Clerk.js sends them.
        Assert.Equal("101", Assert.Single(await WaitForCallsAsync("log/product", 1)).Arguments.GetProperty("product").GetString());
        Assert.Equal("7", Assert.Single(await WaitForCallsAsync("log/category", 1)).Arguments.GetProperty("category").GetString());
    }

    [Fact]
    public async Task Cart_SetEmpty_LogsCartSet()
    {
        await OpenAsync("/cart", """<script>Clerk('cart', 'set', []);</script>""");

        var call = Assert.Single(await WaitForCallsAsync("log/cart/set", 1));

        Assert.Equal(0, call.Arguments.GetProperty("products").GetArrayLength());
    }

    [Fact]
    public async Task Inspector_HostileLabelFromARealClick_IsShownAsTextAndNeverRuns()
    {
        const string hostile = "</script><img src=x onerror=alert(1)>\"'";
        var page = await OpenAsync("/hostile", $$"""
            <div data-clerk-labels='{{System.Net.WebUtility.HtmlEncode(JsonSerializer.Serialize(new[] { hostile }))}}'>
              <a id="p" href="#here" data-clerk-product-id="101" data-clerk-product-type="number">Sweater</a>
            </div>
            """);
        await page.ClickAsync("#p");
        Assert.Equal([hostile], Assert.Single(await WaitForCallsAsync("log/click", 1)).Labels);

        var inspector = await _context.NewPageAsync();
        inspector.Dialog += (_, dialog) =>
        {
            _dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await inspector.GotoAsync(_emulator.BaseAddress + "?visitor=TestVisitor1");
        var timeline = await inspector.Locator("#timeline").TextContentAsync();
        await inspector.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "emulator-inspector.png"), FullPage = true });

        Assert.Contains(hostile, timeline, StringComparison.Ordinal);
        Assert.Equal(0, await inspector.Locator("img").CountAsync());
        Assert.Empty(_dialogs);
    }

    /// <summary>A page with Clerk's documented async loader pointing at the emulator, config, and click tracking.</summary>
    private async Task<IPage> OpenAsync(string path, string body, string visitor = "'TestVisitor1'", string query = "", string lang = "")
    {
        var html = $$"""
            <!DOCTYPE html>
            <html lang="{{lang}}"><head><meta charset="utf-8"><title>Test</title>
            <script>(function(w,d){var e=d.createElement('script');e.type='text/javascript';e.async=true;
            e.src='{{_emulator.ClerkJsUrl}}';var s=d.getElementsByTagName('script')[0];
            s.parentNode.insertBefore(e,s);w.__clerk_q=w.__clerk_q||[];
            w.Clerk=w.Clerk||function(){w.__clerk_q.push(arguments)};})(window,document);
            Clerk('config', {key: '{{Key}}', visitor: {{visitor}}, debug: true});
            Clerk('click', '*[data-clerk-product-id]');</script>
            </head><body>{{body}}</body></html>
            """;
        var page = await _context.NewPageAsync();
        page.Console += (_, message) => _console.Add(message.Text);
        page.Dialog += (_, dialog) =>
        {
            _dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await page.GotoAsync(_pages.Add(path, html) + query);
        await page.WaitForFunctionAsync("() => Array.isArray(window.__clerk_q) === false");
        return page;
    }

    private async Task<IReadOnlyList<ClerkEmulatorCall>> WaitForCallsAsync(string endpoint, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var calls = _emulator.State.GetCalls(endpoint);
            if (calls.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(calls.Count >= count, $"Expected {count} {endpoint} call(s) within 10 s, got {calls.Count}. Console: {string.Join(" | ", _console)}");
                return calls;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
