using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clerk.AspNetCore.TestShared;

namespace Clerk.AspNetCore.Testing.Tests;

/// <summary>
/// Real-time catalog sync: <c>product/add</c> and <c>product/remove</c> change what the emulator recommends and finds.
/// Each test has its own emulator, since they change its catalog.
/// </summary>
public sealed class CatalogSyncTests : IAsyncLifetime
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
    private static readonly string[] TestCatalogIds = ["101", "102", "103", "104", "105", "106"];
    private ClerkEmulator _emulator = null!;
    private HttpClient _http = null!;

    private ClerkEmulatorState State => _emulator.State;

    public async ValueTask InitializeAsync()
    {
        _emulator = await ClerkEmulator.StartAsync(TestCatalog.Configure, TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _emulator.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task ProductAdd_NewProduct_IsFoundRecommendedAndKeepsItsFields()
    {
        var (response, _) = await PostAsync("product/add", new
        {
            key = Key, private_key = PrivateKey,
            products = new object[]
            {
                new
                {
                    id = 107, name = "Alpaca Scarf", description = "Soft.", price = 129.5m, list_price = 150m, image = "https://shop/107.jpg",
                    url = "https://shop/p/107", categories = new[] { 9 }, brand = "Andes", sku = "AS-107", on_sale = true, stock = 4,
                    created_at = 1_700_000_000, color = "red",
                },
            },
        });

        var search = await ResultIdsAsync("search/search", new { key = Key, query = "alpaca", limit = 10 });
        var newest = await PostAsync("recommendations/new", new { key = Key, limit = 1, attributes = new[] { "id", "price", "image", "stock", "color" } });
        var product = State.GetProduct("107")!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([107], search);
        Assert.Equal("""{"id":107,"price":129.5,"image":"https://shop/107.jpg","stock":4,"color":"red"}""", newest.Body["product_data"]![0]!.ToJsonString());
        Assert.Equal((150m, true, "AS-107", "Soft."), (product.ListPrice!.Value, product.OnSale!.Value, product.Sku, product.Description));
        Assert.Equal(["9"], product.Categories);
        Assert.Equal(7, State.GetProducts().Count);
    }

    [Fact]
    public async Task ProductAdd_ExistingId_ReplacesTheProductInPlace()
    {
        await PostAsync("product/add", new { key = Key, private_key = PrivateKey, products = new[] { new { id = 101, name = "Wool Sweater, new", price = 399m } } });

        var popular = await PostAsync("recommendations/popular", new { key = Key, limit = 1, attributes = new[] { "id", "name", "price" } });

        Assert.Equal(TestCatalogIds, State.GetProducts().Select(p => p.Id));
        Assert.Equal("""{"id":101,"name":"Wool Sweater, new","price":399}""", popular.Body["product_data"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task ProductRemove_Post_TakesTheProductsOutOfResults()
    {
        var (response, body) = await PostAsync("product/remove", new { key = Key, private_key = PrivateKey, products = new[] { 101, 102, 999 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (string?)body["status"]);
        Assert.Equal(["103", "104", "105", "106"], State.GetProducts().Select(p => p.Id));
        Assert.Equal([103], await ResultIdsAsync("search/search", new { key = Key, query = "wool", limit = 10 }));
        Assert.Equal([103, 104, 105, 106], await ResultIdsAsync("recommendations/popular", new { key = Key, limit = 10 }));
    }

    [Fact]
    public async Task ProductAddThenRemove_Always_ChangeTheCatalogBothWays()
    {
        await PostAsync("product/add", new { key = Key, private_key = PrivateKey, products = new[] { new { id = 107, name = "Wool Hat", price = 59m } } });
        var afterAdd = await ResultIdsAsync("search/search", new { key = Key, query = "wool", limit = 10 });
        await PostAsync("product/remove", new { key = Key, private_key = PrivateKey, products = new[] { 107 } });
        var afterRemove = await ResultIdsAsync("search/search", new { key = Key, query = "wool", limit = 10 });

        Assert.Equal([101, 103, 107], afterAdd);
        Assert.Equal([101, 103], afterRemove);
        Assert.Null(State.GetProduct("107"));
    }

    [Fact]
    public async Task ProductRemove_GetWithJsonQuery_RemovesLikeMagento()
    {
        var response = await _http.GetAsync($"v2/product/remove?key={Key}&private_key={PrivateKey}&products=%5B104%5D", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(State.GetProduct("104"));
        Assert.Equal("GET", Assert.Single(State.GetCalls("product/remove")).Method);
    }

    [Fact]
    public async Task ProductAdd_GetWithJsonQuery_Upserts()
    {
        var products = Uri.EscapeDataString("""[{"id":108,"name":"Beanie","price":19}]""");

        var response = await _http.GetAsync($"v2/product/add?key={Key}&private_key={PrivateKey}&products={products}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Beanie", State.GetProduct("108")!.Name);
    }

    [Theory]
    [InlineData("product/add", null)]
    [InlineData("product/add", "wrong-private-key")]
    [InlineData("product/remove", null)]
    [InlineData("product/remove", "wrong-private-key")]
    public async Task Sync_MissingOrWrongPrivateKey_Answers401AndChangesNothing(string endpoint, string? privateKey)
    {
        object products = endpoint == "product/add" ? new[] { new { id = 107, name = "Hat", price = 1m } } : new[] { 101 };

        var (response, body) = await PostAsync(endpoint, new { key = Key, private_key = privateKey, products });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AuthenticationError", (string?)body["type"]);
        Assert.Equal(TestCatalogIds, State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task ProductAdd_WrongPublicKey_Answers401()
    {
        var (response, body) = await PostAsync("product/add", new { key = "other", private_key = PrivateKey, products = new[] { new { id = 107, name = "Hat", price = 1m } } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid API key: no store has this public key.", (string?)body["message"]);
    }

    [Fact]
    public async Task ProductAdd_StringIdForIntegerCatalog_IsRejectedNamingBothTypes()
    {
        var (response, body) = await PostAsync("product/add", new { key = Key, private_key = PrivateKey, products = new[] { new { id = "107", name = "Hat", price = 1m } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ParsingError", (string?)body["type"]);
        Assert.Equal(
            "Invalid Syntax In Argument: products (product ID \"107\" is a string, but the catalog's IDs are integers: send IDs of the catalog's JSON type)",
            (string?)body["message"]);
        Assert.Equal(TestCatalogIds, State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task ProductAdd_MixedIdTypesInOneCall_IsRejectedWhole()
    {
        var (response, body) = await PostRawAsync("product/add", $$"""
            {"key":"{{Key}}","private_key":"{{PrivateKey}}","products":[{"id":107,"name":"A","price":1},{"id":"108","name":"B","price":2}]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mix integers and strings", (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal(6, State.GetProducts().Count);
    }

    [Fact]
    public async Task ProductRemove_StringIdsForIntegerCatalog_IsRejected()
    {
        var (response, body) = await PostAsync("product/remove", new { key = Key, private_key = PrivateKey, products = new[] { "101" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Invalid Syntax In Argument: products (the IDs are strings, but the catalog's IDs are integers", (string?)body["message"], StringComparison.Ordinal);
        Assert.NotNull(State.GetProduct("101"));
    }

    [Theory]
    [InlineData("""[{"id":107,"name":"No price"}]""", "product 107: price must be a non-negative number")]
    [InlineData("""[{"id":107,"name":"Negative","price":-1}]""", "product 107: price must be a non-negative number")]
    [InlineData("""[{"id":107,"name":"Hat","price":1,"list_price":"10"}]""", "product 107: list_price must be a non-negative number")]
    [InlineData("""[{"id":107,"price":1}]""", "product 107: name must be a string")]
    [InlineData("""[{"id":1.5,"name":"Half","price":1}]""", "a product has no id")]
    [InlineData("""[{"id":107,"name":"Hat","price":1,"stock":"many"}]""", "product 107: stock must be an integer")]
    [InlineData("""[{"id":107,"name":"Hat","price":1,"categories":"3"}]""", "product 107: categories must be a list")]
    [InlineData("""[]""", "expected a non-empty JSON list of product objects")]
    [InlineData(""" "[{\"id\":107}]" """, "expected a non-empty JSON list of product objects")]
    public async Task ProductAdd_InvalidProducts_AnswersParsingErrorSayingWhatIsWrong(string products, string expected)
    {
        var (response, body) = await PostRawAsync("product/add", $$"""{"key":"{{Key}}","private_key":"{{PrivateKey}}","products":{{products}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ParsingError", (string?)body["type"]);
        Assert.Contains(expected, (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal(6, State.GetProducts().Count);
    }

    [Fact]
    public async Task ProductAdd_EmptyCatalog_TakesTheTypeOfTheFirstProducts()
    {
        await using var empty = await ClerkEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = empty.BaseAddress };

        var first = await http.PostAsJsonAsync("v2/product/add", new { key = Key, private_key = PrivateKey, products = new[] { new { id = "A-1", name = "A", price = 1m } } }, TestContext.Current.CancellationToken);
        var other = await http.PostAsJsonAsync("v2/product/add", new { key = Key, private_key = PrivateKey, products = new[] { new { id = 2, name = "B", price = 1m } } }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal(ClerkEmulatorIdType.String, empty.State.CatalogIdType);
    }

    [Fact]
    public async Task ProductAdd_InjectedFault_FailsTheCallAndLeavesTheCatalog()
    {
        State.InjectFault("product/add", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 1);
        var add = new { key = Key, private_key = PrivateKey, products = new[] { new { id = 107, name = "Hat", price = 1m } } };

        var (failed, _) = await PostAsync("product/add", add);
        var afterFault = State.GetProduct("107");
        var (retried, _) = await PostAsync("product/add", add);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Null(afterFault);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.NotNull(State.GetProduct("107"));
        Assert.Equal([false, true], State.GetCalls("product/add").Select(c => c.Succeeded));
    }

    [Fact]
    public async Task ProductAdd_FaultMixOverHttp_Applies()
    {
        var inject = await _http.PostAsJsonAsync(
            "_emulator/faults", new { endpoint = "product/add", rate = 1.0, kinds = new[] { "TooManyRequests" } }, TestContext.Current.CancellationToken);

        var (response, _) = await PostAsync("product/add", new { key = Key, private_key = PrivateKey, products = new[] { new { id = 107, name = "Hat", price = 1m } } });

        Assert.Equal(HttpStatusCode.NoContent, inject.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Null(State.GetProduct("107"));
    }

    [Fact]
    public async Task ProductAdd_Always_IsRecordedWithThePrivateKeyRedacted()
    {
        await PostAsync("product/add", new { key = Key, private_key = PrivateKey, products = new[] { new { id = 107, name = "Hat", price = 1m } } });

        var call = Assert.Single(State.GetCalls("product/add"));

        Assert.True(call.Succeeded);
        Assert.Equal("(redacted)", call.Arguments.GetProperty("private_key").GetString());
        Assert.Equal(107, call.Arguments.GetProperty("products")[0].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task ProductAdd_BatchLargerThanTheBodyLimitOfOtherCalls_IsAccepted()
    {
        // The test catalog limits bodies to 4 KiB; a batch of a hundred products with descriptions is far more.
        var products = Enumerable.Range(1000, 100).Select(id => new { id, name = $"Product {id}", price = 1m, description = new string('x', 200) }).ToArray();

        var (response, body) = await PostAsync("product/add", new { key = Key, private_key = PrivateKey, products });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (string?)body["status"]);
        Assert.Equal(106, State.GetProducts().Count);
    }

    [Fact]
    public async Task ProductAdd_ConcurrentCalls_LoseNoProduct()
    {
        var calls = Enumerable.Range(0, 20).Select(batch => PostAsync("product/add", new
        {
            key = Key, private_key = PrivateKey,
            products = Enumerable.Range(1000 + (batch * 5), 5).Select(id => new { id, name = $"P{id}", price = 1m }).ToArray(),
        }));

        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.Equal(106, State.GetProducts().Count);
        Assert.Equal(106, State.GetProducts().Select(p => p.Id).Distinct().Count());
    }

    public static TheoryData<string> HostileProducts => new()
    {
        """[{"id":9223372036854775808,"name":"Too big","price":1}]""",
        """[{"id":1,"name":"Huge price","price":1e309}]""",
        """[{"id":1,"name":"Far future","price":1,"created_at":99999999999999999}]""",
        """[{"id":1,"name":"Bad date","price":1,"created_at":"yesterday"}]""",
        """[{"id":1,"name":"Stock","price":1,"stock":2147483648}]""",
        """[{"id":1,"name":"Nested","price":1,"categories":[[1]]}]""",
        """[{"id":"","name":"Empty id","price":1}]""",
        """[null]""",
        """[{"id":{"x":1},"name":"Object id","price":1}]""",
        """[{"id":1,"name":"Lone","price":1,"x":"\ud800"}]""",
        """[{"id":1,"name":"<script>alert(1)</script>","price":-1,"on_sale":"yes"}]""",
        """{"id":1}""",
        """null""",
    };

    [Theory]
    [MemberData(nameof(HostileProducts))]
    public async Task ProductAdd_HostileProducts_AnswerAClerkErrorNever500(string products)
    {
        var (response, body) = await PostRawAsync("product/add", $$"""{"key":"{{Key}}","private_key":"{{PrivateKey}}","products":{{products}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ParsingError", (string?)body["type"]);
        Assert.Equal(TestCatalogIds, State.GetProducts().Select(p => p.Id));
    }

    [Theory]
    [InlineData("""[9223372036854775808]""")]
    [InlineData("""[1.5]""")]
    [InlineData("""[[101]]""")]
    [InlineData("""[null]""")]
    [InlineData("""[101,"102"]""")]
    [InlineData("""{"id":101}""")]
    public async Task ProductRemove_HostileIds_AnswerAClerkErrorNever500(string products)
    {
        var (response, body) = await PostRawAsync("product/remove", $$"""{"key":"{{Key}}","private_key":"{{PrivateKey}}","products":{{products}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ParsingError", (string?)body["type"]);
        Assert.Equal(TestCatalogIds, State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task Reset_AfterSync_KeepsTheCatalog()
    {
        await PostAsync("product/remove", new { key = Key, private_key = PrivateKey, products = new[] { 101 } });

        State.Reset();

        Assert.Equal(5, State.GetProducts().Count);
        Assert.Empty(State.GetCalls("product/remove"));
    }

    private async Task<(HttpResponseMessage Response, JsonObject Body)> PostAsync(string endpoint, object arguments) =>
        await PostRawAsync(endpoint, JsonSerializer.Serialize(arguments));

    private async Task<(HttpResponseMessage Response, JsonObject Body)> PostRawAsync(string endpoint, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await _http.PostAsync($"v2/{endpoint}", content, TestContext.Current.CancellationToken);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject());
    }

    private async Task<List<int>> ResultIdsAsync(string endpoint, object arguments)
    {
        var (response, body) = await PostAsync(endpoint, arguments);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["result"]!.AsArray().Select(n => (int)n!).ToList();
    }
}
