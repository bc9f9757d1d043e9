using System.Net;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing.Tests;

public sealed class EmulatorApiTests : IClassFixture<EmulatorFixture>
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
    private readonly EmulatorFixture _emulator;

    public EmulatorApiTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    public static TheoryData<string, object> ValidCalls => new()
    {
        { "log/click", new { key = Key, product = 101, visitor = "aR9Km32l", labels = new[] { "Home - Trending" }, api = "recommendations/trending", n = 0 } },
        { "log/sale", new { key = Key, sale = "A-1", products = new[] { new { id = 101, price = 499.95, quantity = 2 } }, visitor = "aR9Km32l" } },
        { "log/product", new { key = Key, product = 101, visitor = "auto" } },
        { "log/category", new { key = Key, category = 7, visitor = (string?)null } },
        { "log/email", new { key = Key, email = "luke@example.com", visitor = "aR9Km32l" } },
        { "log/cart/add", new { key = Key, products = new[] { new { id = 101, qty = 1 } } } },
        { "log/cart/remove", new { key = Key, products = new[] { new { id = 101, qty = 1 } } } },
        { "log/cart/set", new { key = Key, products = Array.Empty<int>() } },
        { "log/basket/set", new { key = Key, products = new[] { 101, 102 }, email = "luke@example.com" } },
        { "log/returned", new { key = Key, private_key = PrivateKey, product = 101, order = "A-1", quantity = 1 } },
        { "client/account/info", new { key = Key, private_key = PrivateKey } },
        { "privacy/info", new { key = Key, private_key = PrivateKey, visitor = "aR9Km32l" } },
        { "privacy/forget", new { key = Key, private_key = PrivateKey, email = "luke@example.com" } },
    };

    [Theory]
    [MemberData(nameof(ValidCalls))]
    public async Task Post_ValidCall_AnswersOkAndIsRecorded(string endpoint, object arguments)
    {
        var (response, body) = await _emulator.PostAsync(endpoint, arguments);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (string?)body["status"]);
        var call = Assert.Single(_emulator.Emulator.State.GetCalls(endpoint));
        Assert.True(call.Succeeded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Post_MissingOrWrongKey_Answers401AuthenticationError(string? key)
    {
        var (response, body) = await _emulator.PostAsync("log/click", new { key, product = 101 });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertError(body, "AuthenticationError");
    }

    [Theory]
    [InlineData("log/returned")]
    [InlineData("client/account/info")]
    [InlineData("privacy/forget")]
    public async Task Post_PrivateEndpointWithoutPrivateKey_Answers401(string endpoint)
    {
        var (response, body) = await _emulator.PostAsync(endpoint, new { key = Key, product = 101, order = "A-1", quantity = 1, email = "a@b.c" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertError(body, "AuthenticationError");
    }

    [Theory]
    [InlineData("log/click", "product")]
    [InlineData("log/product", "product")]
    [InlineData("log/category", "category")]
    [InlineData("log/email", "email")]
    [InlineData("log/sale", "sale")]
    public async Task Post_MissingRequiredArgument_AnswersParsingErrorNamingIt(string endpoint, string argument)
    {
        var (response, body) = await _emulator.PostAsync(endpoint, new { key = Key, products = new[] { 101 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertError(body, "ParsingError");
        Assert.Equal($"Missing Argument {argument}", (string?)body["message"]);
    }

    [Fact]
    public async Task Post_SaleWithStringIdsForIntegerCatalog_AnswersInvalidSyntaxInProducts()
    {
        var (_, body) = await _emulator.PostAsync("log/sale", new { key = Key, sale = "A-2", products = new[] { new { id = "101", price = 1, quantity = 1 } } });

        AssertError(body, "ParsingError");
        Assert.Equal("Invalid Syntax In Argument: products", (string?)body["message"]);
        Assert.Empty(_emulator.Emulator.State.GetSales());
    }

    [Fact]
    public async Task Post_ClickWithStringIdForIntegerCatalog_AnswersInvalidSyntaxInProduct()
    {
        var (_, body) = await _emulator.PostAsync("log/click", new { key = Key, product = "101", labels = new[] { "Home - Trending" } });

        AssertError(body, "ParsingError");
        Assert.Contains("Invalid Syntax In Argument: product", (string?)body["message"], StringComparison.Ordinal);
        Assert.False(Assert.Single(_emulator.Emulator.State.GetCalls("log/click")).Succeeded);
    }

    [Theory]
    [InlineData("101", true)]
    [InlineData("SKU-101", false)]
    [InlineData("1.5", false)]
    public async Task Get_ClickWithTheIdInTheQueryString_TakesDigitsAsTheIntegerCatalogsId(string product, bool accepted)
    {
        // A GET (Clerk.js's JSONP) cannot say 101 or "101": digits are the integer catalog's product.
        var labels = Uri.EscapeDataString("[\"Home - Trending\"]");
        var (response, text) = await _emulator.GetAsync($"v2/log/click?key={Key}&product={Uri.EscapeDataString(product)}&labels={labels}");

        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(accepted ? "\"ok\"" : "Invalid Syntax In Argument: product", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ClickWithIntegerIdForIntegerCatalog_AnswersOk()
    {
        var (_, body) = await _emulator.PostAsync("log/click", new { key = Key, product = 101, labels = new[] { "Home - Trending" } });

        Assert.Equal("ok", (string?)body["status"]);
    }

    [Fact]
    public async Task Post_ClickWithANonIdProduct_AnswersInvalidSyntaxInProduct()
    {
        var (_, body) = await _emulator.PostAsync("log/click", new { key = Key, product = new[] { 101 }, labels = new[] { "Home - Trending" } });

        AssertError(body, "ParsingError");
        Assert.Contains("Invalid Syntax In Argument: product", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_SaleWithDoubleEncodedProducts_AnswersInvalidSyntaxInProducts()
    {
        var (_, body) = await _emulator.PostAsync("log/sale", new { key = Key, sale = "A-3", products = "[{\"id\":101,\"price\":1,\"quantity\":1}]" });

        Assert.Equal("Invalid Syntax In Argument: products", (string?)body["message"]);
    }

    [Theory]
    [InlineData("{\"key\":\"demo-public-key\",\"product\":101,\"api\":\"\\ud800\"}")]
    [InlineData("{\"key\":\"demo-public-key\",\"product\":101,\"labels\":[\"a\\udc00b\"]}")]
    [InlineData("{\"key\":\"demo-public-key\",\"\\ud800\":1,\"product\":101}")]
    public async Task Post_JsonWithALoneSurrogate_AnswersParsingErrorNotAServerError(string json)
    {
        var (response, body) = await _emulator.PostRawAsync("log/click", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertError(body, "ParsingError");
        Assert.Contains("not valid UTF-16 text", (string?)body["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"key\":\"demo-public-key\",\"key\":\"demo-public-key\",\"product\":101}")]
    [InlineData("{\"key\":\"demo-public-key\",\"product\":101,\"api\":{\"a\":1,\"a\":2}}")]
    public async Task Post_JsonWithADuplicateName_AnswersParsingErrorNotAServerError(string json)
    {
        var (response, body) = await _emulator.PostRawAsync("log/click", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertError(body, "ParsingError");
    }

    [Fact]
    public async Task Get_JsonArgumentWithALoneSurrogate_AnswersParsingErrorNotAServerError()
    {
        var (response, text) = await _emulator.GetAsync("v2/recommendations/popular?key=demo-public-key&labels=" + Uri.EscapeDataString("[\"\\ud800\"]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ParsingError", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"key\":")]
    [InlineData("[1,2,3]")]
    [InlineData("not json")]
    public async Task Post_MalformedJson_AnswersParsingError(string json)
    {
        var (response, body) = await _emulator.PostRawAsync("log/click", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertError(body, "ParsingError");
    }

    [Theory]
    [InlineData("a1d0c6e83f027327d8461063f4ac58a6X")]
    [InlineData("<script>")]
    [InlineData("abc-def")]
    public async Task Post_InvalidVisitor_AnswersParsingError(string visitor)
    {
        var (_, body) = await _emulator.PostAsync("log/click", new { key = Key, product = 101, visitor });

        AssertError(body, "ParsingError");
        Assert.Contains("visitor", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_LabelsAsPlainString_AnswersParsingError()
    {
        var (_, body) = await _emulator.PostAsync("log/click", new { key = Key, product = 101, labels = "Home - Trending" });

        Assert.StartsWith("Invalid Syntax In Argument: labels", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_OversizedBody_IsRejected()
    {
        var (response, body) = await _emulator.PostAsync("log/click", new { key = Key, product = 101, padding = new string('x', 10_000) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertError(body, "ParsingError");
    }

    [Fact]
    public async Task Post_DeeplyNestedJson_IsRejected()
    {
        var deep = new string('[', 200) + new string(']', 200);

        var (response, body) = await _emulator.PostRawAsync("log/click", $"{{\"key\":\"{Key}\",\"product\":101,\"x\":{deep}}}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertError(body, "ParsingError");
    }

    [Fact]
    public async Task Post_UnknownEndpoint_Answers404()
    {
        var (response, body) = await _emulator.PostAsync("log/nothing", new { key = Key });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertError(body, "ParsingError");
    }

    [Fact]
    public async Task Get_JsonEncodedListArguments_AreDecoded()
    {
        var (response, _) = await _emulator.GetAsync($"v2/log/sale?key={Key}&sale=G-1&products=%5B101%2C102%5D&visitor=aR9Km32l");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sale = Assert.Single(_emulator.Emulator.State.GetSales());
        Assert.Equal(["101", "102"], sale.Products.Select(p => p.ProductId));
    }

    [Fact]
    public async Task Get_WithCallback_AnswersJsonp()
    {
        var (response, text) = await _emulator.GetAsync($"v2/log/product?key={Key}&product=101&callback=Clerk._jsonp_7");

        Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("/**/Clerk._jsonp_7({\"status\":\"ok\"});", text);
    }

    [Fact]
    public async Task Get_WithCallbackAndError_Answers200WithErrorEnvelope()
    {
        var (response, text) = await _emulator.GetAsync("v2/log/product?key=wrong&product=101&callback=cb");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("/**/cb({\"status\":\"error\",\"type\":\"AuthenticationError\"", text, StringComparison.Ordinal);
        Assert.Equal("AuthenticationError", Assert.Single(_emulator.Emulator.State.GetCalls("log/product")).ErrorType);
    }

    [Fact]
    public async Task GetClerkJs_Always_ServesTheStandInScript()
    {
        var (response, text) = await _emulator.GetAsync("clerk.js");

        Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("__clerk_q", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alert(1)//")]
    [InlineData("x;alert")]
    [InlineData("%3Cscript%3E")]
    public async Task Get_WithHostileCallback_AnswersPlainJsonError(string callback)
    {
        var (response, text) = await _emulator.GetAsync($"v2/log/product?key={Key}&product=101&callback={callback}");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_PrivateKey_IsRedacted()
    {
        await _emulator.PostAsync("client/account/info", new { key = Key, private_key = PrivateKey });

        var call = Assert.Single(_emulator.Emulator.State.GetCalls("client/account/info"));
        Assert.DoesNotContain(PrivateKey, call.Arguments.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_FailedCall_KeepsTypeAndMessage()
    {
        await _emulator.PostAsync("log/click", new { key = Key });

        var call = Assert.Single(_emulator.Emulator.State.GetCalls("log/click"));
        Assert.False(call.Succeeded);
        Assert.Equal("ParsingError", call.ErrorType);
        Assert.Equal("Missing Argument product", call.ErrorMessage);
    }

    private static void AssertError(JsonObject body, string type)
    {
        Assert.Equal("error", (string?)body["status"]);
        Assert.Equal(type, (string?)body["type"]);
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));
        var id = (string?)body["id"];
        Assert.False(string.IsNullOrEmpty(id));
        Assert.EndsWith(id!, (string?)body["moreInfo"], StringComparison.Ordinal);
    }
}
