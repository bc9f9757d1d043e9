using System.Globalization;
using System.Net;
using System.Text.Json;
using Clerk.AspNetCore.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SampleShop.Admin;
using SampleShop.Data;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>
/// The sample shop's data feeds (<c>/clerk/product</c>, <c>/clerk/category</c>, <c>/clerk/order</c>) over its EF Core
/// model, the emulator's catalog that comes from them at start-up, and real-time sync from the admin pages.
/// </summary>
public sealed class SampleShopFeedTests(SampleShopFeedTests.FeedShop shop) : IClassFixture<SampleShopFeedTests.FeedShop>
{
    private const string AdminKey = "feeds admin key 0123456789";

    private const string Keys = $"key={ClerkEmulatorOptions.DemoPublicKey}&private_key={ClerkEmulatorOptions.DemoPrivateKey}";

    /// <summary>The shop with its admin pages on and quick retries, as a developer runs it on the emulator.</summary>
    public sealed class FeedShop : SampleShopFactory
    {
        public ClerkEmulatorState Emulator => Services.GetRequiredService<ClerkEmulatorState>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(AdminAccess.KeySetting, AdminKey);
            builder.UseSetting("Shop:HostileProducts", "true");
            builder.UseSetting("Clerk:Delivery:FirstRetryDelay", "00:00:00.100");
            builder.UseSetting("Logging:LogLevel:Clerk", "Debug");
            builder.ConfigureLogging(logging => logging.AddFakeLogging());
        }

        /// <summary>What Clerk's package logged, for a failure's message.</summary>
        public string ClerkLog() => string.Join(Environment.NewLine, Services.GetFakeLogCollector().GetSnapshot()
            .Where(log => log.Category?.StartsWith("Clerk.", StringComparison.Ordinal) == true && !log.Category.Contains("Visitors", StringComparison.Ordinal))
            .Select(log => $"{log.Level} {log.Category}[{log.Id.Id}] {log.Message} {log.Exception?.Message}"));
    }

    private static readonly Product[] Catalog = [.. CatalogGenerator.Generate(includeHostileProducts: true).SelectMany(c => c.Products)];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public void Start_OnTheEmulator_ImportsTheCatalogFromTheShopsOwnFeeds()
    {
        var import = shop.Emulator.LastImport;

        Assert.NotNull(import);
        Assert.True(import.Succeeded, string.Join("; ", import.Errors));
        Assert.Equal(ClerkEmulatorIdType.Number, import.ProductIdType);
        Assert.Equal(Catalog.Select(p => p.Id.ToString(CultureInfo.InvariantCulture)).Order(), shop.Emulator.GetProducts().Select(p => p.Id).Order());
        Assert.Equal(10, shop.Emulator.GetCategories().Count);

        // Hostile catalog text arrives exactly as the shop holds it.
        var hostile = Catalog.Single(p => p.Id == CatalogGenerator.HostileScriptProductId);
        Assert.Equal(hostile.Name, shop.Emulator.GetProduct(hostile.Id.ToString(CultureInfo.InvariantCulture))!.Name);
    }

    [Fact]
    public async Task ProductFeed_DemoKeys_GivesTheProductsInClerksShapeWithAbsoluteUrls()
    {
        using var client = shop.CreateVisitorClient();

        var products = await GetArrayAsync(client, $"/clerk/product?{Keys}&page=1&limit=3");

        Assert.Equal(3, products.GetArrayLength());
        var first = products[0];
        var expected = Catalog.OrderBy(p => p.Id).First();
        Assert.Equal(expected.Id, first.GetProperty("id").GetInt64());
        Assert.Equal(expected.Name, first.GetProperty("name").GetString());
        Assert.Equal(expected.Price, first.GetProperty("price").GetDecimal());
        Assert.Equal(expected.Sku, first.GetProperty("sku").GetString());
        Assert.Equal(expected.Stock, first.GetProperty("stock").GetInt32());
        Assert.Equal(expected.CreatedAt.ToUnixTimeSeconds(), first.GetProperty("created_at").GetInt64());
        Assert.Equal([expected.CategoryId], first.GetProperty("categories").EnumerateArray().Select(c => c.GetInt32()));

        // On the emulator the shop's own address is the feeds' base (Clerk:Feeds:BaseUrl), which sync uses too.
        var shopAddress = shop.Services.GetRequiredService<IOptions<ClerkOptions>>().Value.Feeds.BaseUrl!;
        Assert.Equal(new Uri(shopAddress, $"products/{expected.Id}").AbsoluteUri, first.GetProperty("url").GetString());
        Assert.Equal(new Uri(shopAddress, $"images/products/{expected.Id}.svg").AbsoluteUri, first.GetProperty("image").GetString());
    }

    [Fact]
    public async Task ProductFeed_PagedToTheEnd_GivesEveryProductOnce()
    {
        using var client = shop.CreateVisitorClient();
        var ids = new List<long>();
        for (var page = 1; ; page++)
        {
            var products = await GetArrayAsync(client, $"/clerk/product?{Keys}&page={page}&limit=50");
            ids.AddRange(products.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
            if (products.GetArrayLength() < 50)
            {
                break;
            }
        }

        Assert.Equal(Catalog.Select(p => p.Id).Order(), ids);
    }

    [Fact]
    public async Task ProductFeed_WrongPrivateKey_Answers403WithNoProduct()
    {
        using var client = shop.CreateVisitorClient();

        using var response = await client.GetAsync($"/clerk/product?key={ClerkEmulatorOptions.DemoPublicKey}&private_key=guess", Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.DoesNotContain(Catalog[0].Name, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderFeed_StartDate_ListsTheOrdersPlacedSinceWithTheirSaleIds()
    {
        var shopper = new SampleShopClient(shop.CreateShopperClient());
        var confirmation = await shopper.BuyAsync(1005, 100501, 2);
        var number = confirmation.Split('/')[2];
        using var client = shop.CreateVisitorClient();
        var since = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var later = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();

        var recent = await GetArrayAsync(client, $"/clerk/order?{Keys}&start_date={since}");
        var none = await GetArrayAsync(client, $"/clerk/order?{Keys}&start_date={later}");

        var order = Assert.Single(recent.EnumerateArray(), o => o.GetProperty("id").GetString() == number);
        var line = Assert.Single(order.GetProperty("products").EnumerateArray());
        Assert.Equal(1005, line.GetProperty("id").GetInt64());
        Assert.Equal(2, line.GetProperty("quantity").GetInt32());
        Assert.DoesNotContain(none.EnumerateArray(), o => o.GetProperty("id").GetString() == number);
    }

    [Fact]
    public async Task AdminSave_OnTheEmulator_ReachesItsCatalogWithinTwoSeconds()
    {
        var admin = await SignedInAdminAsync();

        Assert.Equal("/admin/products/1010?saved=true", await admin.PostAsync("/admin/products/1010", ("name", "Synced Scarf"), ("price", "77.50"), ("stock", "3")));

        await Eventually(() => shop.Emulator.GetProduct("1010") is { Name: "Synced Scarf", Price: 77.50m, Stock: 3 }, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task AdminSave_ClerkFailsTheFirstTries_PriceStillReachesTheEmulator()
    {
        shop.Emulator.InjectFault("product/add", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 2);
        var admin = await SignedInAdminAsync();

        await admin.PostAsync("/admin/products/1011", ("name", Catalog.Single(p => p.Id == 1011).Name), ("price", "12.34"), ("stock", "9"));

        await Eventually(() => shop.Emulator.GetProduct("1011") is { Price: 12.34m }, TimeSpan.FromSeconds(20));
        Assert.True(shop.Emulator.GetCalls("product/add").Count >= 3, "the first two product/add calls were to fail");
    }

    private string Calls() => string.Join(Environment.NewLine, shop.Emulator.GetCalls("product/add").Select(call =>
        $"product/add #{call.Sequence} at {call.Time:O}: {(call.Succeeded ? "ok" : call.ErrorType)}, {call.Arguments.GetProperty("products").GetArrayLength()} products")) + $" 1011 now: {shop.Emulator.GetProduct("1011")?.Price}";

    private async Task<SampleShopClient> SignedInAdminAsync()
    {
        var admin = new SampleShopClient(shop.CreateShopperClient());
        Assert.Equal("/admin/products", await admin.PostAsync("/admin/key", ("key", AdminKey), ("returnUrl", "/admin/products")));
        return admin;
    }

    private static async Task<JsonElement> GetArrayAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits, in real time, for the shop's background delivery (the outbox worker) to have done something.</summary>
    private async Task Eventually(Func<bool> condition, TimeSpan deadline)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(deadline);
        while (!condition())
        {
            try
            {
                await Task.Delay(25, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Not done within {deadline.TotalSeconds} s. {Environment.NewLine}{shop.ClerkLog()}{Environment.NewLine}{Calls()}");
            }
        }
    }
}
