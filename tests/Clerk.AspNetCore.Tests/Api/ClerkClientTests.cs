using System.Net;
using System.Text;
using System.Text.Json;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.Api;

/// <summary>Every call of <see cref="IClerkClient"/> against the emulator, each of Clerk's error types, and the visitor rules.</summary>
public sealed class ClerkClientTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IAsyncLifetime
{
    private static readonly string[] HomeNew = ["Home - New"];

    private ServerSideHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        fixture.Reset();
        _host = await ServerSideHost.StartAsync(fixture.Emulator);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private IClerkClient Client => _host.Services.GetRequiredService<IClerkClient>();

    private ClerkEmulatorState Emulator => fixture.Emulator.State;

    [Fact]
    public async Task LogClickAsync_InARequest_SendsTheRequestsVisitorAndLabels()
    {
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, endpoint: c =>
            c.RequestServices.GetRequiredService<IClerkClient>().LogClickAsync(104, HomeNew, "recommendations/new", 2, cancellationToken: c.RequestAborted));

        using var response = await host.RequestAsync(visitorCookie: "Visitor42");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var click = Assert.Single(Emulator.GetCalls("log/click"));
        Assert.True(click.Succeeded, click.ErrorMessage);
        Assert.Equal("Visitor42", click.Visitor);
        Assert.Equal(HomeNew, click.Labels);
        Assert.Equal(104, click.Arguments.GetProperty("product").GetInt64());
        Assert.Equal("recommendations/new", click.Arguments.GetProperty("api").GetString());
        Assert.Equal(2, click.Arguments.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task LogClickAsync_ExplicitVisitor_WinsOverTheRequests()
    {
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, endpoint: c =>
            c.RequestServices.GetRequiredService<IClerkClient>().LogClickAsync(101, HomeNew, visitor: ClerkVisitor.Of("Stored7"), cancellationToken: c.RequestAborted));

        using var response = await host.RequestAsync(visitorCookie: "Visitor42");

        Assert.Equal("Stored7", Assert.Single(Emulator.GetCalls("log/click")).Visitor);
    }

    [Fact]
    public async Task LogClickAsync_VisitorDeclinedWithGpc_SendsVisitorNull()
    {
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, endpoint: c =>
            c.RequestServices.GetRequiredService<IClerkClient>().LogClickAsync(101, HomeNew, cancellationToken: c.RequestAborted));

        using var response = await host.RequestAsync("Visitor42", ("Sec-GPC", "1"));

        var click = Assert.Single(Emulator.GetCalls("log/click"));
        Assert.True(click.Arguments.TryGetProperty("visitor", out var visitor), "visitor must be sent, as null");
        Assert.Equal(JsonValueKind.Null, visitor.ValueKind);
    }

    [Fact]
    public async Task LogClickAsync_OutsideARequest_SendsVisitorNull()
    {
        await Client.LogClickAsync(101, HomeNew, cancellationToken: TestContext.Current.CancellationToken);

        var click = Assert.Single(Emulator.GetCalls("log/click"));
        Assert.Equal(JsonValueKind.Null, click.Arguments.GetProperty("visitor").ValueKind);
    }

    public static TheoryData<string[]?> BadLabels => new() { (string[]?)null, Array.Empty<string>(), new[] { "" }, new[] { "  " }, new[] { "Home - New", " " } };

    [Theory]
    [MemberData(nameof(BadLabels))]
    public async Task LogClickAsync_MissingOrBlankLabels_ThrowsAndSendsNothing(string[]? labels)
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => Client.LogClickAsync(101, labels!, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("label", exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Emulator.GetCalls());
    }

    [Fact]
    public async Task LogClickAsync_NegativePositionOrUnknownApi_Throws()
    {
        var ct = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client.LogClickAsync(101, HomeNew, position: -1, cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.LogClickAsync(101, HomeNew, api: "<script>", cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.LogClickAsync(default, HomeNew, cancellationToken: ct));
        Assert.Empty(Emulator.GetCalls());
    }

    [Fact]
    public void ClerkVisitorOf_NotAVisitorId_Throws()
    {
        Assert.Throws<ArgumentException>(() => ClerkVisitor.Of("bad id"));
        Assert.Throws<ArgumentException>(() => ClerkVisitor.Of(new string('a', 33)));
        Assert.Equal("abc", ClerkVisitor.Of("abc").Id);
        Assert.True(ClerkVisitor.FromRequest.IsFromRequest);
        Assert.Null(ClerkVisitor.OfNullable(null).Id);
    }

    [Fact]
    public async Task LogSaleAsync_ValidSale_EmulatorRecordsItWithTypesAndUnitPrices()
    {
        var sale = new ClerkSale("NG-1001", [new ClerkSaleLine(101, 499.95m, 2), new ClerkSaleLine(103, 79m, 1)])
        {
            Email = "buyer@example.com",
            Customer = "77",
            Visitor = ClerkVisitor.Of("Buyer1"),
        };

        await Client.LogSaleAsync(sale, TestContext.Current.CancellationToken);

        var recorded = Assert.Single(Emulator.GetSales());
        Assert.Equal("NG-1001", recorded.SaleId);
        Assert.Equal("Buyer1", recorded.Visitor);
        Assert.Equal("buyer@example.com", recorded.Email);
        Assert.Equal("77", recorded.Customer);
        Assert.Equal([new ClerkEmulatorSaleLine("101", true, 499.95m, 2), new ClerkEmulatorSaleLine("103", true, 79m, 1)], recorded.Products);
    }

    [Fact]
    public async Task LogSaleAsync_QuantityZero_ThrowsTheSharedRuleAndSendsNothing()
    {
        var sale = new ClerkSale("NG-1", [new ClerkSaleLine(101, 10m, 0)]);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => Client.LogSaleAsync(sale, TestContext.Current.CancellationToken));

        Assert.StartsWith(ClerkSaleValidator.Problem(sale.OrderId, sale.Lines)!, exception.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.GetCalls());
    }

    [Fact]
    public async Task LogSaleAsync_VisitorDeclined_SendsNoVisitorEmailOrCustomer()
    {
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, endpoint: c =>
            c.RequestServices.GetRequiredService<IClerkClient>().LogSaleAsync(
                new ClerkSale("NG-2", [new ClerkSaleLine(101, 10m, 1)]) { Email = "a@example.com", Customer = "5" }, c.RequestAborted));

        using var response = await host.RequestAsync("Visitor42", ("Sec-GPC", "1"));

        var sale = Assert.Single(Emulator.GetSales());
        Assert.Null(sale.Visitor);
        Assert.Null(sale.Email);
        Assert.Null(sale.Customer);
    }

    [Fact]
    public async Task LogProductViewAsync_Product_IsRecorded()
    {
        await Client.LogProductViewAsync(102, ClerkVisitor.Of("V1"), TestContext.Current.CancellationToken);

        var call = Assert.Single(Emulator.GetCalls("log/product"));
        Assert.True(call.Succeeded, call.ErrorMessage);
        Assert.Equal(102, call.Arguments.GetProperty("product").GetInt64());
        Assert.Equal("V1", call.Visitor);
    }

    [Fact]
    public async Task LogCategoryViewAsync_Category_IsRecorded()
    {
        await Client.LogCategoryViewAsync("knitwear", ClerkVisitor.Of("V1"), TestContext.Current.CancellationToken);

        var call = Assert.Single(Emulator.GetCalls("log/category"));
        Assert.True(call.Succeeded, call.ErrorMessage);
        Assert.Equal("knitwear", call.Arguments.GetProperty("category").GetString());
    }

    [Fact]
    public async Task LogEmailAsync_Email_IsRecordedTrimmed()
    {
        await Client.LogEmailAsync(" someone@example.com ", ClerkVisitor.Of("V1"), TestContext.Current.CancellationToken);

        var call = Assert.Single(Emulator.GetCalls("log/email"));
        Assert.True(call.Succeeded, call.ErrorMessage);
        Assert.Equal("someone@example.com", call.Arguments.GetProperty("email").GetString());
        await Assert.ThrowsAsync<ArgumentException>(() => Client.LogEmailAsync("not-an-address", cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SetBasketAsync_Products_IsRecorded()
    {
        await Client.SetBasketAsync([101, 102], "someone@example.com", TestContext.Current.CancellationToken);

        var call = Assert.Single(Emulator.GetCalls("log/basket/set"));
        Assert.True(call.Succeeded, call.ErrorMessage);
        Assert.Equal("[101,102]", call.Arguments.GetProperty("products").GetRawText());
        await Assert.ThrowsAsync<ArgumentException>(() => Client.SetBasketAsync([101, "102"], "someone@example.com", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task LogReturnAsync_WithPrivateKey_IsRecordedAndTheKeyIsRedactedInTheEmulator()
    {
        await Client.LogReturnAsync(101, "NG-1001", 1, TestContext.Current.CancellationToken);

        var call = Assert.Single(Emulator.GetCalls("log/returned"));
        Assert.True(call.Succeeded, call.ErrorMessage);
        Assert.Equal("NG-1001", call.Arguments.GetProperty("order").GetString());
    }

    [Fact]
    public async Task LogReturnAsync_NoPrivateKey_ThrowsNamingTheSetting()
    {
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.PrivateKey = null);
        var client = host.Services.GetRequiredService<IClerkClient>();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.LogReturnAsync(101, "NG-1", 1, TestContext.Current.CancellationToken));

        Assert.Contains("Clerk:PrivateKey", exception.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.GetCalls());
    }

    [Fact]
    public async Task GetRecommendationsAsync_Popular_ReturnsIdsLabelsAndProductData()
    {
        var results = await Client.GetRecommendationsAsync(
            "popular", new ClerkResultsRequest { Labels = HomeNew, Limit = 3, Attributes = ["name"], Visitor = ClerkVisitor.Of("V1") }, TestContext.Current.CancellationToken);

        var call = Assert.Single(Emulator.GetCalls("recommendations/popular"));
        Assert.True(call.Succeeded, call.ErrorMessage);
        Assert.Equal(HomeNew, call.Labels);
        Assert.Equal("recommendations/popular", results.Endpoint);
        Assert.Equal(HomeNew, results.Labels);
        Assert.Equal(3, results.ProductIds.Count);
        Assert.All(results.ProductIds, id => Assert.True(id.IsNumber));
        Assert.Equal(3, results.ProductData.Count);
        Assert.All(results.ProductData, p => Assert.Equal(JsonValueKind.String, p.GetProperty("name").ValueKind));
    }

    [Fact]
    public async Task GetRecommendationsAsync_FullEndpointNameAndProducts_Works()
    {
        var results = await Client.GetRecommendationsAsync(
            "recommendations/complementary", new ClerkResultsRequest { Labels = ["Product - Complementary"], Products = [101], Limit = 2 }, TestContext.Current.CancellationToken);

        Assert.Equal("recommendations/complementary", results.Endpoint);
        Assert.True(Assert.Single(Emulator.GetCalls("recommendations/complementary")).Succeeded);
    }

    [Fact]
    public async Task GetRecommendationsAsync_NoLabelsOrBadEndpointOrLimit_ThrowsBeforeSending()
    {
        var ct = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetRecommendationsAsync("popular", new ClerkResultsRequest { Labels = [] }, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetRecommendationsAsync("../private", new ClerkResultsRequest { Labels = HomeNew }, ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client.GetRecommendationsAsync("popular", new ClerkResultsRequest { Labels = HomeNew, Limit = 0 }, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetRecommendationsAsync("popular", new ClerkResultsRequest { Labels = HomeNew, Exclude = [101, "102"] }, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetRecommendationsAsync("popular", new ClerkResultsRequest { Labels = HomeNew, Exclude = [default] }, ct));
        Assert.Empty(Emulator.GetCalls());
    }

    [Fact]
    public async Task SearchAsync_Query_ReturnsMatchesWithHits()
    {
        var results = await Client.SearchAsync("search", new ClerkResultsRequest { Labels = ["Search - Page"], Query = "wool", Limit = 10 }, TestContext.Current.CancellationToken);

        Assert.Equal("search/search", results.Endpoint);
        Assert.Equal([new ClerkProductId(101), new ClerkProductId(103)], results.ProductIds.Order(Comparer<ClerkProductId>.Create((a, b) => a.Number.CompareTo(b.Number))));
        Assert.Equal(2, results.Hits);
    }

    [Fact]
    public async Task SearchAsync_NoQuery_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client.SearchAsync("predictive", new ClerkResultsRequest { Labels = ["Search - Instant"] }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetPrivacyInfoAsync_Visitor_ReturnsTheirActivity()
    {
        await Client.LogProductViewAsync(101, ClerkVisitor.Of("Person1"), TestContext.Current.CancellationToken);

        var info = await Client.GetPrivacyInfoAsync(ClerkPrivacySubject.ByVisitor("Person1"), TestContext.Current.CancellationToken);

        Assert.False(info.TryGetProperty("status", out _));
        Assert.Contains(info.GetProperty("activity").EnumerateArray(), a => a.GetProperty("type").GetString() == "log/product");
    }

    [Fact]
    public async Task ForgetAsync_Visitor_ErasesTheirActivity()
    {
        await Client.LogProductViewAsync(101, ClerkVisitor.Of("Person2"), TestContext.Current.CancellationToken);

        await Client.ForgetAsync(ClerkPrivacySubject.ByVisitor("Person2"), TestContext.Current.CancellationToken);

        Assert.DoesNotContain(Emulator.GetCalls(visitor: "Person2"), c => c.Endpoint == "log/product");
    }

    [Fact]
    public async Task GetAccountInfoAsync_RightKeys_ReturnsTheStore()
    {
        var info = await Client.GetAccountInfoAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Clerk emulator store", info.GetProperty("name").GetString());
    }

    [Fact]
    public async Task GetAccountInfoAsync_WrongPrivateKey_ThrowsAuthenticationErrorWithoutTheKey()
    {
        const string wrongKey = "wrong-private-key-123";
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.PrivateKey = wrongKey);

        var exception = await Assert.ThrowsAsync<ClerkApiException>(() => host.Services.GetRequiredService<IClerkClient>().GetAccountInfoAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ClerkErrorType.AuthenticationError, exception.Type);
        Assert.Equal(401, exception.StatusCode);
        Assert.False(exception.IsTransient);
        Assert.DoesNotContain(wrongKey, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), e => e.Message.Contains(wrongKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogSaleAsync_StringIdsForAnIntegerCatalog_ThrowsParsingErrorWithIdAndMoreInfo()
    {
        var sale = new ClerkSale("NG-3", [new ClerkSaleLine("101", 10m, 1)]);

        var exception = await Assert.ThrowsAsync<ClerkApiException>(() => Client.LogSaleAsync(sale, TestContext.Current.CancellationToken));

        Assert.Equal(ClerkErrorType.ParsingError, exception.Type);
        Assert.Equal("log/sale", exception.Endpoint);
        Assert.Contains("Invalid Syntax In Argument: products", exception.ClerkMessage, StringComparison.Ordinal);
        Assert.NotNull(exception.ErrorId);
        Assert.Equal(new Uri($"http://my.clerk.io/error/{exception.ErrorId}"), exception.MoreInfo);
    }

    [Fact]
    public async Task GetRecommendationsAsync_VisitorHistoryForAuto_ThrowsLogicalError()
    {
        var exception = await Assert.ThrowsAsync<ClerkApiException>(() => Client.GetRecommendationsAsync(
            "visitor/history", new ClerkResultsRequest { Labels = ["Home - History"], Visitor = ClerkVisitor.Auto }, TestContext.Current.CancellationToken));

        Assert.Equal(ClerkErrorType.LogicalError, exception.Type);
    }

    [Fact]
    public async Task LogClickAsync_InjectedServerError_ThrowsTransientInternalError()
    {
        Emulator.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 1);

        var exception = await Assert.ThrowsAsync<ClerkApiException>(() => Client.LogClickAsync(101, HomeNew, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ClerkErrorType.InternalError, exception.Type);
        Assert.Equal(500, exception.StatusCode);
        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task LogClickAsync_TooManyRequests_CarriesRetryAfter()
    {
        Emulator.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.TooManyRequests, RetryAfter: TimeSpan.FromSeconds(7)), times: 1);

        var exception = await Assert.ThrowsAsync<ClerkApiException>(() => Client.LogClickAsync(101, HomeNew, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(429, exception.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), exception.RetryAfter);
        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task LogClickAsync_ClerkDoesNotAnswerInTime_ThrowsTimeoutException()
    {
        var time = new SteppedTimeProvider();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.ApiTimeout = TimeSpan.FromSeconds(5), time: time);
        Emulator.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.Delay, Delay: TimeSpan.FromMinutes(10)), times: 1);

        var call = host.Services.GetRequiredService<IClerkClient>().LogClickAsync(101, HomeNew, cancellationToken: TestContext.Current.CancellationToken);
        await time.TimeoutSetAsync(1);
        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var exception = await Assert.ThrowsAsync<TimeoutException>(() => call);

        Assert.Contains("ApiTimeout", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogClickAsync_ErrorEnvelopeWithHttp200_ThrowsClerkApiException()
    {
        const string envelope = """{"status":"error","type":"LogicalError","message":"Soft failure","id":"E42","moreInfo":"http://my.clerk.io/error/E42"}""";
        await using var host = await StubbedAsync(HttpStatusCode.OK, envelope, "application/json");

        var exception = await Assert.ThrowsAsync<ClerkApiException>(() => host.Services.GetRequiredService<IClerkClient>().LogClickAsync(101, HomeNew, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(200, exception.StatusCode);
        Assert.Equal(ClerkErrorType.LogicalError, exception.Type);
        Assert.Equal("Soft failure", exception.ClerkMessage);
        Assert.Equal("E42", exception.ErrorId);
        Assert.Equal(new Uri("http://my.clerk.io/error/E42"), exception.MoreInfo);
    }

    [Fact]
    public async Task LogClickAsync_ProxyErrorPage_ThrowsUnknownTransientError()
    {
        await using var host = await StubbedAsync(HttpStatusCode.BadGateway, "<html>Bad gateway</html>", "text/html");

        var exception = await Assert.ThrowsAsync<ClerkApiException>(() => host.Services.GetRequiredService<IClerkClient>().LogClickAsync(101, HomeNew, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ClerkErrorType.Unknown, exception.Type);
        Assert.Equal(502, exception.StatusCode);
        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task Calls_ClerkTurnedOff_SendNothingAndResultsAreEmpty()
    {
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => { o.Enabled = false; o.PublicKey = null; });
        var client = host.Services.GetRequiredService<IClerkClient>();

        await client.LogClickAsync(101, HomeNew, cancellationToken: TestContext.Current.CancellationToken);
        var results = await client.GetRecommendationsAsync("popular", new ClerkResultsRequest { Labels = HomeNew }, TestContext.Current.CancellationToken);

        Assert.Empty(results.ProductIds);
        Assert.Empty(Emulator.GetCalls());
    }

    private Task<ServerSideHost> StubbedAsync(HttpStatusCode status, string body, string mediaType) =>
        ServerSideHost.StartAsync(fixture.Emulator, services: s => s.AddHttpClient(ClerkOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new StubHandler(status, body, mediaType)));

    private sealed class StubHandler(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
    }
}
