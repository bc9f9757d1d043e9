using System.Net;
using System.Text.Json;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>A catalog of 100,000 products through the endpoint, page by page: every product once, in order (not timed; see docs/performance.md).</summary>
public sealed class FeedLargeCatalogTests
{
    private const int Products = 100_000;
    private const int PageSize = 10_000;

    [Fact]
    public async Task Get_100000Products_PagedToTheEnd_AreServedExactly()
    {
        await using var host = await FeedHost.StartAsync(o => o.Feeds.MaxLimit = PageSize);
        host.Catalog.AddProducts(1, Products);
        using var client = host.CreateClient();
        var count = 0;
        long expected = 1;
        long first = 0;
        long last = 0;

        for (var page = 1; ; page++)
        {
            using var response = await client.GetAsync($"/clerk/product?{FeedHost.Keys}&page={page}&limit={PageSize}", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: TestContext.Current.CancellationToken);
            var items = document.RootElement.GetArrayLength();
            if (items == 0)
            {
                Assert.Equal(Products / PageSize + 1, page);
                break;
            }

            Assert.Equal(PageSize, items);
            foreach (var product in document.RootElement.EnumerateArray())
            {
                var id = product.GetProperty("id").GetInt64();
                Assert.Equal(expected++, id);
                Assert.Equal($"Product {id}", product.GetProperty("name").GetString());
                first = count == 0 ? id : first;
                last = id;
                count++;
            }
        }

        Assert.Equal(Products, count);
        Assert.Equal(1, first);
        Assert.Equal(Products, last);
    }
}
