using System.Globalization;
using System.Net;
using System.Text.Json;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>
/// The sample shop's two markets, each on its own Clerk store of the emulator: Denmark at <c>/</c> (kroner, the demo
/// keys) and the English market at <c>/en/</c> (euros, the <c>-en</c> keys). A page, a sale and a feed of one market
/// reach only its own store.
/// </summary>
public sealed class SampleShopMarketTests(SampleShopFactory factory) : IClassFixture<SampleShopFactory>
{
    // The Nordic Wool Beanie: 149,95 kr. in Denmark, 149.95 / 7.46 = €20.10 in the English market.
    private const long Beanie = 1001;
    private const long BeanieVariant = 100101;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private ClerkEmulatorState Danish => factory.Services.GetRequiredService<ClerkEmulatorStores>().Get(ClerkEmulatorOptions.DemoPublicKey);

    private ClerkEmulatorState English => factory.Services.GetRequiredService<ClerkEmulatorStores>().Get(ClerkEmulatorOptions.DemoPublicKeyEn);

    [Theory]
    [InlineData("/products/1001", ClerkEmulatorOptions.DemoPublicKey, "danish", "149,95 kr.")]
    [InlineData("/en/products/1001", ClerkEmulatorOptions.DemoPublicKeyEn, "english", "€20.10")]
    public async Task GetProduct_InAMarket_ShowsItsPriceAndConfiguresItsClerkStore(string path, string key, string language, string price)
    {
        var shopper = new SampleShopClient(factory.CreateVisitorClient());

        var page = await shopper.GetPageAsync(path);

        Assert.Equal(price, page.QuerySelector("#product-price")!.TextContent.Trim());
        var config = Hostile.JsonAfter(page.QuerySelector("head script")!.TextContent, "Clerk('config',");
        Assert.Equal(key, config.GetProperty("key").GetString());
        Assert.Equal(language, config.GetProperty("language").GetString());
    }

    [Fact]
    public async Task Visitor_SwitchingMarket_KeepsOneIdAcrossBothStores()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());
        await shopper.PostAsync("/consent/accept");

        var danish = Hostile.JsonAfter((await shopper.GetPageAsync("/")).QuerySelector("head script")!.TextContent, "Clerk('config',");
        var english = Hostile.JsonAfter((await shopper.GetPageAsync("/en/")).QuerySelector("head script")!.TextContent, "Clerk('config',");

        Assert.NotEqual(danish.GetProperty("key").GetString(), english.GetProperty("key").GetString());
        Assert.False(string.IsNullOrEmpty(danish.GetProperty("visitor").GetString()));
        Assert.Equal(danish.GetProperty("visitor").GetString(), english.GetProperty("visitor").GetString());
    }

    [Fact]
    public async Task GetEnglishHome_EveryShopLink_StaysInTheEnglishMarket()
    {
        var shopper = new SampleShopClient(factory.CreateVisitorClient());

        var page = await shopper.GetPageAsync("/en/");

        var local = page.QuerySelectorAll("a[href^='/'], form[action^='/']")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("action")!)
            .Where(url => !url.StartsWith("/clerk-emulator", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(local);
        Assert.All(local.Where(url => url != "/"), url => Assert.StartsWith("/en/", url, StringComparison.Ordinal));
        Assert.Equal("/", page.QuerySelector("#market-dk")!.GetAttribute("href"));
        Assert.Equal("true", page.QuerySelector("#market-en")!.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task Checkout_InTheEnglishMarket_SendsTheSaleInEurosToTheEnglishStoreOnly()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());

        var confirmation = await shopper.BuyAsync(Beanie, BeanieVariant, 2, email: "ann@example.com", market: "/en");
        var order = confirmation.Split('/')[3];
        var page = await shopper.GetPageAsync(confirmation);

        Assert.Equal("€40.20", page.QuerySelector("#order-total")!.TextContent.Trim());
        await Eventually(() => English.GetSale(order) is not null);
        var sale = English.GetSale(order)!.Sale;
        var line = Assert.Single(sale.Products);
        Assert.Equal(20.10m, line.Price);
        Assert.Equal(2, line.Quantity);
        Assert.Null(Danish.GetSale(order));
    }

    [Fact]
    public async Task OrderFeed_OfEachStore_ListsOnlyItsMarketsOrdersInItsCurrency()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());
        var english = (await shopper.BuyAsync(Beanie, BeanieVariant, 1, market: "/en")).Split('/')[3];
        var danish = (await shopper.BuyAsync(Beanie, BeanieVariant, 1)).Split('/')[2];

        var englishFeed = await FeedAsync("/en/clerk/order", ClerkEmulatorOptions.DemoPublicKeyEn, ClerkEmulatorOptions.DemoPrivateKeyEn);
        var danishFeed = await FeedAsync("/clerk/order", ClerkEmulatorOptions.DemoPublicKey, ClerkEmulatorOptions.DemoPrivateKey);

        var englishOrders = englishFeed.EnumerateArray().Select(o => o.GetProperty("id").GetString()).ToList();
        var danishOrders = danishFeed.EnumerateArray().Select(o => o.GetProperty("id").GetString()).ToList();
        Assert.Contains(english, englishOrders);
        Assert.DoesNotContain(danish, englishOrders);
        Assert.Contains(danish, danishOrders);
        Assert.DoesNotContain(english, danishOrders);
        var englishLine = englishFeed.EnumerateArray().Single(o => o.GetProperty("id").GetString() == english).GetProperty("products")[0];
        Assert.Equal(20.10m, englishLine.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task ProductFeed_WithTheEnglishKeys_GivesEuroPricesAndEnglishLinks()
    {
        var feed = await FeedAsync("/clerk/product", ClerkEmulatorOptions.DemoPublicKeyEn, ClerkEmulatorOptions.DemoPrivateKeyEn, "&limit=1");

        var beanie = feed[0];
        Assert.Equal(Beanie, beanie.GetProperty("id").GetInt64());
        Assert.Equal(20.10m, beanie.GetProperty("price").GetDecimal());
        Assert.EndsWith("/en/products/1001", beanie.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_OnTheEmulator_ImportsEachStoresCatalogFromItsOwnFeed()
    {
        Assert.True(English.LastImport is { Succeeded: true }, English.LastImport?.Errors.FirstOrDefault());
        Assert.Equal(20.10m, English.GetProduct("1001")!.Price);
        Assert.Equal(149.95m, Danish.GetProduct("1001")!.Price);
    }

    [Fact]
    public async Task ProductFeed_EnglishPublicKeyWithTheDanishPrivateKey_IsRefused()
    {
        using var response = await factory.CreateVisitorClient().GetAsync(
            $"/clerk/product?key={ClerkEmulatorOptions.DemoPublicKeyEn}&private_key={ClerkEmulatorOptions.DemoPrivateKey}", Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<JsonElement> FeedAsync(string path, string key, string privateKey, string query = "")
    {
        using var response = await factory.CreateVisitorClient().GetAsync(
            string.Create(CultureInfo.InvariantCulture, $"{path}?key={key}&private_key={privateKey}{query}"), Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits, in real time, for the shop's outbox worker to have delivered a sale.</summary>
    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(25, timeout.Token);
        }
    }
}
