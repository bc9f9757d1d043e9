using System.Net;
using System.Text.Json;
using Clerk.AspNetCore.Feeds;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>Paging a feed to its end gives the catalog exactly: every item once, in ID order, in Clerk's shape.</summary>
public sealed class FeedPagingTests
{
    private static readonly Uri Shop = new("http://shop.example/");

    private static async Task<List<JsonElement>> PageAsync(FeedHost host, string feed, int page, int limit, string extra = "")
    {
        var (status, body) = await host.GetTextAsync(feed, $"page={page}&limit={limit}{extra}");
        Assert.True(status == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string Expected(ClerkFeedProduct product)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            FeedItemWriter.WriteProduct(writer, product, new FeedWriteContext(Shop, CollectEmails: true));
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public async Task Get_EveryPageToTheEnd_ReturnsTheCatalogExactlyThenAnEmptyPage()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 1_234);
        var served = new List<JsonElement>();

        for (var page = 1; ; page++)
        {
            var items = await PageAsync(host, "product", page, 100);
            if (items.Count == 0)
            {
                Assert.Equal(14, page);
                break;
            }

            Assert.True(items.Count == 100 || page == 13, $"page {page} has {items.Count} items");
            served.AddRange(items);
        }

        var catalog = host.Catalog.Products();
        Assert.Equal(catalog.Count, served.Count);
        for (var i = 0; i < catalog.Count; i++)
        {
            Assert.Equal(Expected(catalog[i]), served[i].GetRawText());
        }
    }

    [Fact]
    public async Task Get_Product_WritesClerksShapeWithAbsoluteUrlsAndPlainText()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts([FeedCatalog.Product(3)]);

        var product = Assert.Single(await PageAsync(host, "product", 1, 10));

        Assert.Equal(3, product.GetProperty("id").GetInt64());
        Assert.Equal("Product 3", product.GetProperty("name").GetString());
        Assert.Equal("The 3th product.", product.GetProperty("description").GetString());
        Assert.Equal(13m, product.GetProperty("price").GetDecimal());
        Assert.Equal(23m, product.GetProperty("list_price").GetDecimal());
        Assert.Equal("http://shop.example/images/3.jpg", product.GetProperty("image").GetString());
        Assert.Equal("http://shop.example/products/3", product.GetProperty("url").GetString());
        Assert.Equal([3L, 103L], product.GetProperty("categories").EnumerateArray().Select(c => c.GetInt64()));
        Assert.True(product.GetProperty("on_sale").GetBoolean());
        Assert.Equal(1_700_000_003, product.GetProperty("created_at").GetInt64());
        Assert.Equal(3, product.GetProperty("stock").GetInt32());
    }

    [Fact]
    public async Task Get_ProductsAddedWhilePaging_NoDuplicatesAndNoGaps()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 500);
        var before = host.Catalog.Products().Select(p => p.Id.Number).ToHashSet();
        var seen = new List<long>();
        var next = 10_000L;

        for (var page = 1; page < 100; page++)
        {
            var items = await PageAsync(host, "product", page, 37);
            if (items.Count == 0)
            {
                break;
            }

            seen.AddRange(items.Select(i => i.GetProperty("id").GetInt64()));

            // The shop keeps selling while Clerk imports: new products (higher IDs) arrive between two pages.
            host.Catalog.AddProducts(next, 3);
            next += 3;
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), before);
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task Get_Page_PassesTheStoreThePageAndTheLimitToTheSource()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 10);

        await PageAsync(host, "product", 3, 4);

        var (feed, request) = Assert.Single(host.Catalog.Requests);
        Assert.Equal("product", feed);
        Assert.Equal(FeedHost.PublicKey, request.Store);
        Assert.Equal(3, request.Page);
        Assert.Equal(4, request.Limit);
        Assert.Null(request.StartDate);
    }

    [Fact]
    public async Task Get_NoPageOrLimit_GivesTheFirstPageOfTheDefaultLimit()
    {
        await using var host = await FeedHost.StartAsync(o => o.Feeds.DefaultLimit = 7);
        host.Catalog.AddProducts(1, 10);

        var (status, body) = await host.GetTextAsync("product", "page=&limit=");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(7, JsonDocument.Parse(body).RootElement.GetArrayLength());
        var (_, request) = Assert.Single(host.Catalog.Requests);
        Assert.Equal(1, request.Page);
    }

    [Fact]
    public async Task Get_EmptyCatalog_AnswersAnEmptyArray()
    {
        await using var host = await FeedHost.StartAsync();

        var (status, body) = await host.GetTextAsync("product");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[]", body);
    }

    [Fact]
    public async Task Get_AnyPage_IsJsonNeverCachedNorSniffed()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 2);

        using var response = await host.GetAsync("product");

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Get_ClerksOrderByOrderFieldsAndDebug_AreAcceptedAndDebugIndents()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 3);

        var (plainStatus, plain) = await host.GetTextAsync("product", "orderby=entity_id&order=desc&fields=id,name");
        var (debugStatus, debug) = await host.GetTextAsync("product", "debug=1");

        Assert.Equal(HttpStatusCode.OK, plainStatus);
        Assert.Equal(HttpStatusCode.OK, debugStatus);
        Assert.DoesNotContain('\n', plain);
        Assert.Contains('\n', debug);
        Assert.Equal(
            JsonDocument.Parse(plain).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()),
            JsonDocument.Parse(debug).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Get_RelativeUrls_ResolveAgainstTheRequestsHostAndPathBase()
    {
        await using var host = await FeedHost.StartAsync(pathBase: "/shop");
        host.Catalog.AddProducts([FeedCatalog.Product(1, url: "/shop/products/1", image: "~/images/1.jpg")]);

        var (status, body) = await host.GetTextAsync("product", prefix: "/shop/clerk");

        Assert.Equal(HttpStatusCode.OK, status);
        var product = JsonDocument.Parse(body).RootElement[0];
        Assert.Equal("http://shop.example/shop/products/1", product.GetProperty("url").GetString());
        Assert.Equal("http://shop.example/shop/images/1.jpg", product.GetProperty("image").GetString());
    }

    [Fact]
    public async Task Get_BaseUrlConfigured_RelativeUrlsResolveAgainstIt()
    {
        await using var host = await FeedHost.StartAsync(o => o.Feeds.BaseUrl = new Uri("https://www.shop.example/store"));
        host.Catalog.AddProducts([FeedCatalog.Product(1, url: "products/1", image: "//cdn.shop.example/1.jpg")]);

        var (_, body) = await host.GetTextAsync("product");

        var product = JsonDocument.Parse(body).RootElement[0];
        Assert.Equal("https://www.shop.example/store/products/1", product.GetProperty("url").GetString());
        Assert.Equal("https://cdn.shop.example/1.jpg", product.GetProperty("image").GetString());
    }
}
