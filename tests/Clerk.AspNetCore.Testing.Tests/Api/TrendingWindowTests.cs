using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Testing.Tests.Api;

/// <summary>Trending counts only recent activity, by the emulator's clock; popular counts every sale.</summary>
public sealed class TrendingWindowTests
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
    private readonly EmulatorApi _api;

    public TrendingWindowTests()
    {
        var options = new ClerkEmulatorOptions();
        options.Catalog.Add(new ClerkEmulatorProduct(1, "Old favourite", 10m) { CreatedAt = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        options.Catalog.Add(new ClerkEmulatorProduct(2, "Newest", 10m) { CreatedAt = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero) });
        options.Catalog.Add(new ClerkEmulatorProduct(3, "Undated", 10m));
        options.Catalog.Add(new ClerkEmulatorProduct(4, "Middle", 10m) { CreatedAt = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero) });
        var wrapped = Options.Create(options);
        _api = new EmulatorApi(new ClerkEmulatorStores(options), wrapped, _time);
    }

    [Fact]
    public async Task Trending_NoActivity_NewestCreatedFirstAndUndatedLast()
    {
        Assert.Equal([2, 4, 1, 3], await RecommendAsync("trending"));
    }

    [Fact]
    public async Task Trending_ActivityOlderThanTheWindow_NoLongerCountsButPopularKeepsTheSale()
    {
        await CallAsync("log/sale", "sale=S-1&products=[1]");
        await CallAsync("log/click", "product=1&visitor=aR9Km32l");
        _time.Advance(TimeSpan.FromDays(8));
        await CallAsync("log/product", "product=4&visitor=aR9Km32l");

        Assert.Equal([4, 2, 1, 3], await RecommendAsync("trending"));
        Assert.Equal([1, 2, 3, 4], await RecommendAsync("popular"));
    }

    [Fact]
    public async Task Trending_ActivityWithinTheWindow_RanksFirst()
    {
        await CallAsync("log/click", "product=3&visitor=aR9Km32l");
        _time.Advance(TimeSpan.FromDays(6));

        Assert.Equal([3, 2, 4, 1], await RecommendAsync("trending"));
    }

    private async Task<List<int>> RecommendAsync(string kind)
    {
        var body = await CallAsync($"recommendations/{kind}", "limit=10");
        return body["result"]!.AsArray().Select(n => (int)n!).ToList();
    }

    private async Task<JsonObject> CallAsync(string endpoint, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.QueryString = new QueryString($"?key={Key}&{query}");
        context.Response.Body = new MemoryStream();

        await _api.HandleAsync(context, endpoint);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        return JsonNode.Parse(((MemoryStream)context.Response.Body).ToArray())!.AsObject();
    }
}
