using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Clerk.AspNetCore.TestShared;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing.Tests.Import;

/// <summary>The importer against a stand-in shop that serves feed pages: Clerk's importer, page by page.</summary>
public sealed class EmulatorImportTests : IAsyncLifetime
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
    private static readonly string[] TestCatalogIds = ["101", "102", "103", "104", "105", "106"];
    private FeedHost _shop = null!;
    private ClerkEmulator _emulator = null!;

    public async ValueTask InitializeAsync()
    {
        _shop = await FeedHost.StartAsync();
        _emulator = await ClerkEmulator.StartAsync(TestCatalog.Configure, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        await _shop.DisposeAsync();
    }

    [Fact]
    public async Task Import_ThreeFeedsOverSeveralPages_ReplacesTheCatalogExactlyAndRecordsTheImport()
    {
        _shop.Feeds["product"] = FeedHost.Products(Enumerable.Range(1, 250));
        _shop.Feeds["category"] = [.. Enumerable.Range(1, 5).Select(id => (JsonNode)new JsonObject { ["id"] = id, ["name"] = $"Category {id}", ["subcategories"] = new JsonArray() })];
        _shop.Feeds["order"] = [new JsonObject { ["id"] = "1001", ["time"] = 1_700_000_000, ["customer"] = "42", ["products"] = new JsonArray(new JsonObject { ["id"] = 7, ["quantity"] = 2, ["price"] = 7.5 }) }];

        var import = await ImportAsync();

        Assert.True(import.Succeeded, string.Join(" | ", import.Errors));
        Assert.Equal(Enumerable.Range(1, 250).Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)), _emulator.State.GetProducts().Select(p => p.Id));
        Assert.Equal(ClerkEmulatorIdType.Number, import.ProductIdType);
        Assert.Equal(ClerkEmulatorIdType.Number, _emulator.State.CatalogIdType);
        Assert.Equal(
            [new("product", 3, 250, 0, false, null), new("category", 1, 5, 0, false, null), new("order", 1, 1, 0, false, null)],
            import.Feeds);
        Assert.Equal(5, _emulator.State.GetCategories().Count);
        var order = Assert.Single(_emulator.State.GetOrders());
        Assert.Equal(new ClerkEmulatorSaleLine("7", true, 7.5m, 2), Assert.Single(order.Products));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), order.Time);
        Assert.Same(import, _emulator.State.LastImport);
        Assert.NotNull(import.FinishedAt);
        Assert.True(import.FinishedAt >= import.StartedAt);
    }

    [Fact]
    public async Task Import_Always_SendsBothKeysPageAndLimitLikeClerksImporter()
    {
        _shop.Feeds["product"] = FeedHost.Products(Enumerable.Range(1, 5));

        await _emulator.Importer.ImportAsync(
            new ClerkEmulatorImportRequest(_shop.BaseUrl, Key, PrivateKey) { Limit = 2, Feeds = ["product"] }, TestContext.Current.CancellationToken);

        Assert.Equal(
            [new("product", 1, 2, Key, PrivateKey), new("product", 2, 2, Key, PrivateKey), new("product", 3, 2, Key, PrivateKey)],
            _shop.Requests);
    }

    [Fact]
    public async Task Import_CatalogAMultipleOfTheLimit_ReadsTheEmptyPageThatEndsIt()
    {
        _shop.Feeds["product"] = FeedHost.Products(Enumerable.Range(1, 200));

        var import = await ImportAsync(feeds: ["product"]);

        Assert.Equal(3, Assert.Single(import.Feeds).Pages);
        Assert.Equal(200, _emulator.State.GetProducts().Count);
    }

    [Fact]
    public async Task Import_FeedFields_ArriveOnTheProducts()
    {
        _shop.Feeds["product"] =
        [
            JsonNode.Parse("""
                {"id":7,"name":"Alpaca Scarf","description":"Soft.","price":49.5,"list_price":59,"image":"https://shop/7.jpg",
                 "url":"https://shop/p/7","categories":[3,4],"brand":"Andes","sku":"AS-7","on_sale":true,"stock":12,
                 "created_at":1700000000,"color":"red","sizes":["S","M"]}
                """)!,
        ];

        await ImportAsync(feeds: ["product"]);
        var product = Assert.Single(_emulator.State.GetProducts());

        Assert.Equal(("7", true, "Alpaca Scarf", 49.5m, 59m), (product.Id, product.IsNumericId, product.Name, product.Price, product.ListPrice));
        Assert.Equal(("Soft.", "https://shop/7.jpg", "https://shop/p/7", "Andes", "AS-7"), (product.Description, product.ImageUrl, product.Url, product.Brand, product.Sku));
        Assert.Equal((true, 12, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)), (product.OnSale, product.Stock, product.CreatedAt!.Value));
        Assert.Equal(["3", "4"], product.Categories);
        Assert.Equal(["color", "sizes"], product.ExtraFields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""["S","M"]""", product.ExtraFields["sizes"].GetRawText());
    }

    [Fact]
    public async Task Import_WrongKeys_FailsWith403AndKeepsTheCatalog()
    {
        _shop.Feeds["product"] = FeedHost.Products(Enumerable.Range(1, 3));

        var import = await _emulator.Importer.ImportAsync(_shop.BaseUrl, Key, "not-the-private-key", TestContext.Current.CancellationToken);

        Assert.False(import.Succeeded);
        var error = Assert.Single(import.Errors);
        Assert.Contains("product feed, page 1: HTTP 403", error, StringComparison.Ordinal);
        Assert.Contains(FeedHost.ForbiddenMessage, error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-private-key", error, StringComparison.Ordinal);
        Assert.Equal(TestCatalogIds, _emulator.State.GetProducts().Select(p => p.Id));
        Assert.Same(import, _emulator.State.LastImport);
    }

    [Fact]
    public async Task Import_BadJsonOnPageTwo_FailsAndKeepsTheCatalog()
    {
        _shop.Feeds["product"] = FeedHost.Products(Enumerable.Range(1, 150));
        _shop.Serve = request => request is { Feed: "product", Page: 2 }
            ? Results.Content("""[{"id":101,"name":"Cut off""", "application/json")
            : null;

        var import = await ImportAsync();

        Assert.False(import.Succeeded);
        Assert.StartsWith("product feed, page 2: the page is not valid JSON", Assert.Single(import.Errors), StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single(import.Feeds).Pages);
        Assert.Equal(TestCatalogIds, _emulator.State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task Import_PageThatIsNoList_Fails()
    {
        _shop.Serve = request => request.Feed == "product" ? Results.Content("""{"products":[]}""", "application/json") : null;

        var import = await ImportAsync();

        Assert.Equal("product feed, page 1: the page is not a JSON list of items.", Assert.Single(import.Errors));
    }

    [Fact]
    public async Task Import_InvalidItem_FailsNamingPageItemAndField()
    {
        _shop.Feeds["product"] = [JsonNode.Parse("""{"id":1,"name":"Fine","price":1}""")!, JsonNode.Parse("""{"id":2,"name":"No price"}""")!];

        var import = await ImportAsync();

        Assert.Equal("product feed, page 1: item 2: product 2: price must be a non-negative number.", Assert.Single(import.Errors));
        Assert.Equal(TestCatalogIds, _emulator.State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task Import_MixedIdTypes_FailsAndRecordsMixed()
    {
        _shop.Feeds["product"] =
        [
            JsonNode.Parse("""{"id":1,"name":"Number","price":1}""")!,
            JsonNode.Parse("""{"id":"2","name":"String","price":2}""")!,
        ];

        var import = await ImportAsync();

        Assert.False(import.Succeeded);
        Assert.Equal(ClerkEmulatorIdType.Mixed, import.ProductIdType);
        Assert.Contains("mix integers (such as 1) and strings (such as \"2\")", Assert.Single(import.Errors), StringComparison.Ordinal);
        Assert.Equal(TestCatalogIds, _emulator.State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task Import_StringIds_MakeAStringCatalogThatCallsMustFollow()
    {
        _shop.Feeds["product"] = [JsonNode.Parse("""{"id":"SKU-1","name":"Mug","price":5}""")!];
        await ImportAsync(feeds: ["product"]);
        using var http = new HttpClient { BaseAddress = _emulator.BaseAddress };

        var asString = await http.PostAsJsonAsync("v2/log/sale", new { key = Key, sale = "S-1", products = new[] { "SKU-1" } }, TestContext.Current.CancellationToken);
        var asNumber = await http.PostAsJsonAsync("v2/log/sale", new { key = Key, sale = "S-2", products = new[] { 101 } }, TestContext.Current.CancellationToken);

        Assert.Equal(ClerkEmulatorIdType.String, _emulator.State.CatalogIdType);
        Assert.Equal(HttpStatusCode.OK, asString.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, asNumber.StatusCode);
    }

    [Fact]
    public async Task Import_ProductsChangeBetweenPages_EachIdOnceWithItsLaterCopy()
    {
        // Offset paging while the shop adds a product in front: page 2 starts with the last item of page 1 again, and
        // that product's price changed meanwhile.
        var first = FeedHost.Products([1, 2, 3]);
        var second = FeedHost.Products([3, 4, 5]);
        second[0]!["price"] = 99m;
        _shop.Serve = request => request.Feed != "product" ? null : request.Page switch
        {
            1 => FeedHost.Page(first),
            2 => FeedHost.Page(second),
            _ => FeedHost.Page(FeedHost.Products([6])),
        };

        var import = await _emulator.Importer.ImportAsync(
            new ClerkEmulatorImportRequest(_shop.BaseUrl, Key, PrivateKey) { Limit = 3, Feeds = ["product"] }, TestContext.Current.CancellationToken);

        Assert.True(import.Succeeded);
        Assert.Equal(["1", "2", "3", "4", "5", "6"], _emulator.State.GetProducts().Select(p => p.Id));
        Assert.Equal(99m, _emulator.State.GetProduct("3")!.Price);
        Assert.Equal(new ClerkEmulatorImportFeed("product", 3, 6, 1, false, null), Assert.Single(import.Feeds));
    }

    [Fact]
    public async Task Import_NoCategoryOrOrderFeed_RecordsThe404sAndSucceeds()
    {
        _shop.Feeds["product"] = FeedHost.Products([1, 2]);

        var import = await ImportAsync();

        Assert.True(import.Succeeded);
        Assert.Equal([false, true, true], import.Feeds.Select(f => f.Missing));
        Assert.Empty(import.Errors);
        Assert.Equal(["1", "2"], _emulator.State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task Import_NoProductFeed_Fails()
    {
        var import = await ImportAsync();

        Assert.False(import.Succeeded);
        Assert.StartsWith("product feed, page 1: HTTP 404", Assert.Single(import.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_PageOverTheSizeLimit_Fails()
    {
        await using var emulator = await ClerkEmulator.StartAsync(o => o.MaxImportPageBytes = 1024, TestContext.Current.CancellationToken);
        _shop.Feeds["product"] = FeedHost.Products(Enumerable.Range(1, 100));

        var import = await emulator.Importer.ImportAsync(_shop.BaseUrl, Key, PrivateKey, TestContext.Current.CancellationToken);

        Assert.Contains("larger than 1024 bytes", Assert.Single(import.Errors), StringComparison.Ordinal);
        Assert.Empty(emulator.State.GetProducts());
    }

    [Fact]
    public async Task Import_FeedThatNeverEnds_StopsAtMaxImportPages()
    {
        await using var emulator = await ClerkEmulator.StartAsync(o => o.MaxImportPages = 3, TestContext.Current.CancellationToken);
        _shop.Serve = request => FeedHost.Page(FeedHost.Products(Enumerable.Range(request.Page * 10, request.Limit)));

        var import = await emulator.Importer.ImportAsync(
            new ClerkEmulatorImportRequest(_shop.BaseUrl, Key, PrivateKey) { Limit = 2 }, TestContext.Current.CancellationToken);

        Assert.Contains("had not ended after 3 pages", Assert.Single(import.Errors), StringComparison.Ordinal);
        Assert.Equal(3, _shop.Requests.Count);
    }

    [Fact]
    public async Task Import_ShopNotListening_FailsSayingSo()
    {
        var import = await _emulator.Importer.ImportAsync(new Uri("http://127.0.0.1:9/clerk"), Key, PrivateKey, TestContext.Current.CancellationToken);

        Assert.StartsWith("product feed, page 1: the shop could not be reached", Assert.Single(import.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://shop/clerk", 100)]
    [InlineData("http://shop/clerk?key=x", 100)]
    [InlineData("http://shop/clerk", 0)]
    [InlineData("http://shop/clerk", 1001)]
    public async Task Import_InvalidRequest_ThrowsArgumentException(string baseUrl, int limit)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _emulator.Importer.ImportAsync(
            new ClerkEmulatorImportRequest(new Uri(baseUrl), Key, PrivateKey) { Limit = limit }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PostImport_OverHttp_Answers200WithTheImportAndGetReturnsIt()
    {
        _shop.Feeds["product"] = FeedHost.Products([1, 2, 3]);
        using var http = new HttpClient { BaseAddress = _emulator.BaseAddress };

        var posted = await http.PostAsJsonAsync("_emulator/import", new { baseUrl = _shop.BaseUrl.ToString(), limit = 2, feeds = new[] { "product" } }, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await posted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var last = JsonNode.Parse(await http.GetStringAsync("_emulator/import", TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.True((bool)body["succeeded"]!);
        Assert.Equal("Number", (string?)body["productIdType"]);
        Assert.Equal(2, (int)body["feeds"]![0]!["pages"]!);
        Assert.Equal(3, (int)last["feeds"]![0]!["items"]!);
        Assert.Equal(3, _emulator.State.GetProducts().Count);
        Assert.All(_shop.Requests, r => Assert.Equal((Key, PrivateKey), (r.Key, r.PrivateKey)));
    }

    [Fact]
    public async Task PostImport_ShopRefusesTheKeys_Answers502AndKeepsTheCatalog()
    {
        using var http = new HttpClient { BaseAddress = _emulator.BaseAddress };

        var posted = await http.PostAsJsonAsync("_emulator/import", new { baseUrl = _shop.BaseUrl.ToString(), key = "other", privateKey = "other" }, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await posted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.BadGateway, posted.StatusCode);
        Assert.False((bool)body["succeeded"]!);
        Assert.Contains("HTTP 403", (string?)body["errors"]![0], StringComparison.Ordinal);
        Assert.Equal(6, _emulator.State.GetProducts().Count);
    }

    [Theory]
    [InlineData("""{}""", "baseUrl is required")]
    [InlineData("""{"baseUrl":"http://shop/clerk","feeds":["product","customer"]}""", "feeds lists")]
    [InlineData("""{"baseUrl":"http://shop/clerk","limit":5000}""", "limit is the page size")]
    [InlineData("""not json""", "Send {")]
    public async Task PostImport_InvalidBody_Answers400SayingWhatToSend(string json, string expected)
    {
        using var http = new HttpClient { BaseAddress = _emulator.BaseAddress };

        var posted = await http.PostAsync("_emulator/import", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains(expected, await posted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetImport_NoImportYet_Answers404()
    {
        using var http = new HttpClient { BaseAddress = _emulator.BaseAddress };

        var response = await http.GetAsync("_emulator/import", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private Task<ClerkEmulatorImport> ImportAsync(IReadOnlyList<string>? feeds = null) =>
        _emulator.Importer.ImportAsync(
            new ClerkEmulatorImportRequest(_shop.BaseUrl, Key, PrivateKey) { Feeds = feeds ?? ClerkEmulatorImportRequest.AllFeeds },
            TestContext.Current.CancellationToken);
}
