using System.Net;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing.Tests;

public sealed class EmulatorResultsTests : IClassFixture<EmulatorFixture>
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string Visitor = "aR9Km32lQx7Tz0Pb";
    private static readonly string[] Labels = ["Test - Block"];
    private readonly EmulatorFixture _emulator;

    public EmulatorResultsTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    [Fact]
    public async Task Popular_WithoutSales_ReturnsCatalogOrder()
    {
        var body = await Recommend("popular", new { key = Key, limit = 3, labels = Labels });

        Assert.Equal([101, 102, 103], Ids(body));
        Assert.Equal(6, (int)body["count"]!);
    }

    [Fact]
    public async Task Popular_AfterSales_ReturnsBestSellersFirst()
    {
        await Sale("P-1", (105, 3), (104, 1));

        var body = await Recommend("popular", new { key = Key, limit = 3, labels = Labels });

        Assert.Equal([105, 104, 101], Ids(body));
    }

    [Fact]
    public async Task Popular_LimitOffsetAndExclude_AreHonoured()
    {
        var body = await Recommend("popular", new { key = Key, limit = 2, offset = 1, exclude = new[] { 102 }, labels = Labels });

        Assert.Equal([103, 104], Ids(body));
        Assert.Equal(5, (int)body["count"]!);
    }

    [Fact]
    public async Task Trending_AfterClicks_ReturnsMostClickedFirstThenNewest()
    {
        await Click(106);
        await Click(106);
        await Click(103);

        var body = await Recommend("trending", new { key = Key, limit = 3, labels = Labels });

        Assert.Equal([106, 103, 105], Ids(body));
    }

    [Fact]
    public async Task Trending_WithoutActivity_DiffersFromPopular()
    {
        var trending = await Recommend("trending", new { key = Key, limit = 6, labels = Labels });
        var popular = await Recommend("popular", new { key = Key, limit = 6, labels = Labels });

        Assert.Equal([106, 105, 104, 103, 102, 101], Ids(trending));
        Assert.Equal([101, 102, 103, 104, 105, 106], Ids(popular));
    }

    [Fact]
    public async Task Trending_ViewsAndUnitsSold_CountWithClicks()
    {
        await _emulator.PostAsync("log/product", new { key = Key, product = 102, visitor = Visitor });
        await _emulator.PostAsync("log/product", new { key = Key, product = 102, visitor = Visitor });
        await Sale("T-1", (101, 3));
        await Click(104);

        var body = await Recommend("trending", new { key = Key, limit = 3, labels = Labels });

        Assert.Equal([101, 102, 104], Ids(body));
    }

    [Fact]
    public async Task New_Always_ReturnsNewestCatalogEntriesFirst()
    {
        var body = await Recommend("new", new { key = Key, limit = 2, labels = Labels });

        Assert.Equal([106, 105], Ids(body));
    }

    [Fact]
    public async Task Complementary_Always_ExcludesGivenProductsAndPrefersBoughtTogether()
    {
        await Sale("C-1", (101, 1), (106, 1));

        var body = await Recommend("complementary", new { key = Key, limit = 3, products = new[] { 101 }, labels = Labels });

        var ids = Ids(body);
        Assert.Equal(106, ids[0]);
        Assert.DoesNotContain(101, ids);
    }

    [Fact]
    public async Task Substituting_Always_PrefersTheSameCategory()
    {
        var body = await Recommend("substituting", new { key = Key, limit = 2, products = new[] { 102 }, labels = Labels });

        Assert.Equal([104, 101], Ids(body));
    }

    [Fact]
    public async Task CategoryPopular_Category_ReturnsOnlyItsProducts()
    {
        var body = await Recommend("category/popular", new { key = Key, limit = 10, category = "outerwear", labels = Labels });

        Assert.Equal([102, 104], Ids(body));
    }

    [Fact]
    public async Task VisitorHistory_AfterClicksAndViews_ReturnsThemMostRecentFirst()
    {
        await Click(103);
        await _emulator.PostAsync("log/product", new { key = Key, product = 105, visitor = Visitor });
        await Click(103);

        var body = await Recommend("visitor/history", new { key = Key, limit = 5, visitor = Visitor, labels = Labels });

        Assert.Equal([103, 105], Ids(body));
    }

    [Fact]
    public async Task VisitorHistory_WithoutVisitorId_AnswersLogicalError()
    {
        var (_, body) = await _emulator.PostAsync("recommendations/visitor/history", new { key = Key, limit = 5, visitor = "auto" });

        Assert.Equal("LogicalError", (string?)body["type"]);
    }

    [Theory]
    [InlineData("popular", "limit")]
    [InlineData("complementary", "products")]
    [InlineData("category/popular", "category")]
    [InlineData("visitor/history", "visitor")]
    public async Task Recommendations_MissingArgument_AnswersParsingErrorNamingIt(string kind, string argument)
    {
        object args = argument == "limit" ? new { key = Key } : new { key = Key, limit = 3 };

        var (response, body) = await _emulator.PostAsync($"recommendations/{kind}", args);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"Missing Argument {argument}", (string?)body["message"]);
    }

    [Fact]
    public async Task Complementary_StringIdsForIntegerCatalog_AnswersInvalidSyntax()
    {
        var (_, body) = await _emulator.PostAsync("recommendations/complementary", new { key = Key, limit = 3, products = new[] { "101" } });

        Assert.Equal("Invalid Syntax In Argument: products", (string?)body["message"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task Recommendations_LimitOutOfRange_AnswersParsingError(int limit)
    {
        var (_, body) = await _emulator.PostAsync("recommendations/popular", new { key = Key, limit });

        Assert.StartsWith("Invalid Argument limit", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recommendations_WithAttributes_ReturnsProductData()
    {
        var body = await Recommend("popular", new { key = Key, limit = 1, attributes = new[] { "id", "name", "price", "url" }, labels = Labels });

        var data = Assert.Single(body["product_data"]!.AsArray())!;
        Assert.Equal(101, (int)data["id"]!);
        Assert.Equal("Wool Sweater", (string?)data["name"]);
        Assert.Equal(499.95m, (decimal)data["price"]!);
        Assert.Equal("/products/101", (string?)data["url"]);
    }

    [Fact]
    public async Task Recommendations_OverJsonp_AnswersTheCallback()
    {
        var (_, text) = await _emulator.GetAsync($"v2/recommendations/popular?key={Key}&limit=2&labels=%5B%22Home%22%5D&callback=cb");

        Assert.StartsWith("/**/cb({", text, StringComparison.Ordinal);
        Assert.Contains("\"result\":[101,102]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_Query_MatchesNameAndBrandCaseInsensitively()
    {
        var byName = await Search("search/search", "WOOL", 10);
        var byBrand = await Search("search/search", "fjell", 10);

        Assert.Equal([101, 103], Ids(byName));
        Assert.Equal(2, (int)byName["count"]!);
        Assert.False((bool)byName["no_exact_match"]!);
        Assert.Equal([102, 104], Ids(byBrand));
    }

    [Fact]
    public async Task Search_NoMatch_SaysNoExactMatch()
    {
        var body = await Search("search/search", "bicycle", 10);

        Assert.Empty(Ids(body));
        Assert.True((bool)body["no_exact_match"]!);
    }

    [Fact]
    public async Task Predictive_LimitAboveTen_IsCappedAtTen()
    {
        await using var big = await ClerkEmulator.StartAsync(
            o =>
            {
                for (var id = 1; id <= 15; id++)
                {
                    o.Catalog.Add(new ClerkEmulatorProduct(id, $"Mug {id}", 10));
                }
            },
            TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = big.BaseAddress };

        var text = await http.GetStringAsync($"v2/search/predictive?key={Key}&query=mug&limit=50", TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(text)!;

        Assert.Equal(10, body["result"]!.AsArray().Count);
        Assert.Equal(15, (int)body["hits"]!);
        Assert.Equal("mug", (string?)body["query"]);
    }

    [Fact]
    public async Task Search_MissingQuery_AnswersParsingError()
    {
        var (_, body) = await _emulator.PostAsync("search/search", new { key = Key, limit = 5 });

        Assert.Equal("Missing Argument query", (string?)body["message"]);
    }

    private async Task<JsonObject> Recommend(string kind, object args)
    {
        var (response, body) = await _emulator.PostAsync($"recommendations/{kind}", args);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }

    private async Task<JsonObject> Search(string endpoint, string query, int limit)
    {
        var (response, body) = await _emulator.PostAsync(endpoint, new { key = Key, query, limit, labels = Labels });
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }

    private static List<int> Ids(JsonObject body) => body["result"]!.AsArray().Select(n => (int)n!).ToList();

    private Task Click(int product) =>
        _emulator.PostAsync("log/click", new { key = Key, product, visitor = Visitor, labels = Labels });

    private Task Sale(string sale, params (int Id, int Quantity)[] lines) =>
        _emulator.PostAsync("log/sale", new
        {
            key = Key, sale, visitor = Visitor,
            products = lines.Select(l => new { id = l.Id, price = 10, quantity = l.Quantity }).ToArray(),
        });
}
