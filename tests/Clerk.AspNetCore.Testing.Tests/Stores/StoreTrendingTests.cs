using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Testing.Tests.Stores;

/// <summary>Trending per store, by the emulator's clock: one store's recent activity never ranks the other's products.</summary>
public sealed class StoreTrendingTests
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string KeyEn = ClerkEmulatorOptions.DemoPublicKeyEn;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
    private readonly EmulatorApi _api;

    public StoreTrendingTests()
    {
        // The same product IDs in both stores, as a shop with one catalog in two languages has: only the key tells them apart.
        var options = new ClerkEmulatorOptions();
        foreach (var catalog in new[] { options.Catalog, options.AdditionalStores[0].Catalog })
        {
            catalog.Add(new ClerkEmulatorProduct(1, "Older", 10m) { CreatedAt = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) });
            catalog.Add(new ClerkEmulatorProduct(2, "Newer", 10m) { CreatedAt = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero) });
        }

        _api = new EmulatorApi(new ClerkEmulatorStores(options), Options.Create(options), _time);
    }

    [Fact]
    public async Task Trending_ActivityInTheEnStore_RanksOnlyTheEnStoresProduct()
    {
        await CallAsync(KeyEn, "log/click", "product=1&visitor=aR9Km32l");
        _time.Advance(TimeSpan.FromDays(2));

        Assert.Equal([1, 2], await TrendingAsync(KeyEn));
        Assert.Equal([2, 1], await TrendingAsync(Key));
    }

    [Fact]
    public async Task Trending_EnActivityOlderThanTheWindow_NoLongerCountsThere()
    {
        await CallAsync(KeyEn, "log/click", "product=1&visitor=aR9Km32l");
        _time.Advance(TimeSpan.FromDays(8));

        Assert.Equal([2, 1], await TrendingAsync(KeyEn));
    }

    private async Task<List<int>> TrendingAsync(string key)
    {
        var body = await CallAsync(key, "recommendations/trending", "limit=10");
        return body["result"]!.AsArray().Select(n => (int)n!).ToList();
    }

    private async Task<JsonObject> CallAsync(string key, string endpoint, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.QueryString = new QueryString($"?key={key}&{query}");
        context.Response.Body = new MemoryStream();

        await _api.HandleAsync(context, endpoint);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        return JsonNode.Parse(((MemoryStream)context.Response.Body).ToArray())!.AsObject();
    }
}
