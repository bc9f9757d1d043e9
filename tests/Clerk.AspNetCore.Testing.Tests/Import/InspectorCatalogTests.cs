using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Clerk.AspNetCore.Testing.Tests.Import;

/// <summary>The inspector's catalog, last-import and sync sections, with hostile product data shown as text.</summary>
public sealed class InspectorCatalogTests : IAsyncLifetime
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
    private const string Hostile = "</td></table><script>alert(1)</script><img src=x onerror=alert(2)>";
    private FeedHost _shop = null!;
    private ClerkEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _shop = await FeedHost.StartAsync();
        _emulator = await ClerkEmulator.StartAsync(
            o => o.Catalog.Add(new ClerkEmulatorProduct(1, Hostile, 9.5m) { Stock = 3, ListPrice = 12m, Categories = [Hostile] }),
            TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _emulator.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
        await _shop.DisposeAsync();
    }

    [Fact]
    public async Task Inspector_NothingImportedOrSynced_SaysSo()
    {
        await using var empty = await ClerkEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = empty.BaseAddress };

        var page = new HtmlParser().ParseDocument(await http.GetStringAsync("", TestContext.Current.CancellationToken));

        Assert.Contains("No product yet", page.QuerySelector("#catalog")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("No import yet", page.QuerySelector("#import")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("No sync call yet", page.QuerySelector("#sync")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_HostileProduct_ShowsCountIdTypeNamePriceAndStockAsText()
    {
        var page = await OpenAsync();
        var catalog = page.QuerySelector("#catalog")!;
        var cells = catalog.QuerySelectorAll("tr").Last().QuerySelectorAll("td").Select(c => c.TextContent).ToList();

        Assert.Equal("Catalog (1 product, IDs: integers)", catalog.QuerySelector("h2")!.TextContent);
        Assert.Equal(["1", Hostile, "9.5", "12", "3", Hostile], cells);
        AssertNoInjectedMarkup(page);
    }

    [Fact]
    public async Task Sync_AddAndRemoveCalls_ShownNewestFirstWithIdsAndCounts()
    {
        await _http.PostAsJsonAsync("v2/product/add", new
        {
            key = Key, private_key = PrivateKey,
            products = new[] { new { id = 2, name = Hostile, price = 1m }, new { id = 3, name = "Plain", price = 2m } },
        }, TestContext.Current.CancellationToken);
        await _http.PostAsJsonAsync("v2/product/remove", new { key = Key, private_key = PrivateKey, products = new[] { 3 } }, TestContext.Current.CancellationToken);
        await _http.PostAsJsonAsync("v2/product/add", new { key = Key, private_key = "wrong", products = new[] { new { id = 4, name = "X", price = 1m } } }, TestContext.Current.CancellationToken);

        var page = await OpenAsync();
        var rows = page.QuerySelectorAll("#sync tr").Skip(1).Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToList()).ToList();

        Assert.Equal(["POST product/add", "POST product/remove", "POST product/add"], rows.Select(r => r[2]));
        Assert.Equal(["1", "1", "2"], rows.Select(r => r[3]));
        Assert.Equal(["4", "3", "2, 3"], rows.Select(r => r[4]));
        Assert.StartsWith("AuthenticationError", rows[0][5], StringComparison.Ordinal);
        Assert.Equal("ok", rows[2][5]);
        Assert.Equal("Catalog (2 products, IDs: integers)", page.QuerySelector("#catalog h2")!.TextContent);
        Assert.Contains(Hostile, page.QuerySelector("#catalog")!.TextContent, StringComparison.Ordinal);
        AssertNoInjectedMarkup(page);
    }

    [Fact]
    public async Task Import_Succeeded_ShowsFeedsPagesCountsAndIdType()
    {
        _shop.Feeds["product"] = [.. FeedHost.Products(Enumerable.Range(1, 150)), JsonNode.Parse($$"""{"id":151,"name":{{JsonValue.Create(Hostile).ToJsonString()}},"price":1}""")!];
        await _emulator.Importer.ImportAsync(_shop.BaseUrl, Key, PrivateKey, TestContext.Current.CancellationToken);

        var page = await OpenAsync();
        var import = page.QuerySelector("#import")!;
        var rows = import.QuerySelectorAll("tr").Skip(1).Select(r => string.Join("|", r.QuerySelectorAll("td").Select(c => c.TextContent))).ToList();

        Assert.Contains("replaced the catalog", import.TextContent, StringComparison.Ordinal);
        Assert.Contains("product IDs: integers", import.TextContent, StringComparison.Ordinal);
        Assert.Equal(["product|2|151|0|ok", "category|1|0|0|none (404)", "order|1|0|0|none (404)"], rows);
        Assert.Equal("Catalog (151 products, IDs: integers)", page.QuerySelector("#catalog h2")!.TextContent);
        Assert.Equal(26, page.QuerySelectorAll("#catalog tr").Length); // the header and the first 25
        AssertNoInjectedMarkup(page);
    }

    [Fact]
    public async Task Import_FailedWithHostileErrorText_ShowsTheErrorAsText()
    {
        _shop.Serve = _ => FeedHost.Error(500, Hostile);
        await _emulator.Importer.ImportAsync(_shop.BaseUrl, Key, PrivateKey, TestContext.Current.CancellationToken);

        var page = await OpenAsync();
        var import = page.QuerySelector("#import")!;

        Assert.Contains("failed: the catalog is unchanged", import.TextContent, StringComparison.Ordinal);
        Assert.Contains($"product feed, page 1: HTTP 500 Internal Server Error: \"{Hostile}\".", import.QuerySelector("tr.error")!.TextContent, StringComparison.Ordinal);
        AssertNoInjectedMarkup(page);
    }

    [Fact]
    public async Task Import_MixedIds_ShowsMixedAsAnError()
    {
        _shop.Feeds["product"] = [JsonNode.Parse("""{"id":1,"name":"A","price":1}""")!, JsonNode.Parse("""{"id":"B","name":"B","price":1}""")!];
        await _emulator.Importer.ImportAsync(_shop.BaseUrl, Key, PrivateKey, TestContext.Current.CancellationToken);

        var page = await OpenAsync();
        var import = page.QuerySelector("#import")!;

        Assert.Equal("mixed", import.QuerySelector("p .bad:last-child")!.TextContent);
        Assert.Contains("mix integers (such as 1) and strings", import.TextContent, StringComparison.Ordinal);
    }

    private async Task<IHtmlDocument> OpenAsync() =>
        new HtmlParser().ParseDocument(await _http.GetStringAsync("", TestContext.Current.CancellationToken));

    private static void AssertNoInjectedMarkup(IHtmlDocument page)
    {
        Assert.Single(page.QuerySelectorAll("script")); // only the inspector's own refresh script
        Assert.Empty(page.QuerySelectorAll("img"));
    }
}
