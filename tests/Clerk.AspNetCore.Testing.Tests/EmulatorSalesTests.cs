using System.Net;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing.Tests;

public sealed class EmulatorSalesTests : IClassFixture<EmulatorFixture>
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string Visitor = "aR9Km32lQx7Tz0Pb";
    private readonly EmulatorFixture _emulator;

    public EmulatorSalesTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    [Fact]
    public async Task LogSale_RepeatedSaleId_AnswersOkStoresOnceAndRecordsDuplicate()
    {
        await Sale("S-1", Visitor, quantity: 2);
        var (response, body) = await Sale("S-1", Visitor, quantity: 5);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (string?)body["status"]);
        var sale = Assert.Single(_emulator.Emulator.State.GetSales());
        Assert.Equal(2, Assert.Single(sale.Products).Quantity);
        var report = _emulator.Emulator.State.GetSale("S-1")!;
        Assert.Single(report.Duplicates);
        Assert.Equal(2, _emulator.Emulator.State.GetCalls("log/sale").Count);
    }

    [Fact]
    public async Task LogSale_Stored_KeepsLinesVisitorEmailAndCustomer()
    {
        await _emulator.PostAsync("log/sale", new
        {
            key = Key, sale = 567, visitor = Visitor, email = "luke@example.com", customer = 1234,
            products = new[] { new { id = 101, price = 99.95, quantity = 2 }, new { id = 102, price = 14.00, quantity = 1 } },
        });

        var sale = Assert.Single(_emulator.Emulator.State.GetSales());
        Assert.Equal("567", sale.SaleId);
        Assert.Equal(Visitor, sale.Visitor);
        Assert.Equal("luke@example.com", sale.Email);
        Assert.Equal("1234", sale.Customer);
        Assert.Equal([new ClerkEmulatorSaleLine("101", true, 99.95m, 2), new ClerkEmulatorSaleLine("102", true, 14.00m, 1)], sale.Products);
    }

    [Fact]
    public async Task GetSale_LabelledClickBeforeSale_IsClerkInfluencedByThatLabel()
    {
        await Click(101, Visitor, "Home - Trending");
        await Click(102, Visitor, "Home - Popular");
        await Sale("S-2", Visitor);

        var report = _emulator.Emulator.State.GetSale("S-2")!;

        Assert.True(report.ClerkInfluenced);
        Assert.Equal(["Home - Trending"], report.Labels);
    }

    [Fact]
    public async Task GetSale_WithoutClick_IsNotInfluenced()
    {
        await Sale("S-3", Visitor);

        Assert.False(_emulator.Emulator.State.GetSale("S-3")!.ClerkInfluenced);
    }

    [Fact]
    public async Task GetSale_ClickByAnotherVisitor_IsNotInfluenced()
    {
        await Click(101, "OtherVisitor1", "Home - Trending");
        await Sale("S-4", Visitor);

        Assert.False(_emulator.Emulator.State.GetSale("S-4")!.ClerkInfluenced);
    }

    [Fact]
    public async Task GetSale_ClickAfterSale_IsNotInfluenced()
    {
        await Sale("S-5", Visitor);
        await Click(101, Visitor, "Home - Trending");

        Assert.False(_emulator.Emulator.State.GetSale("S-5")!.ClerkInfluenced);
    }

    [Fact]
    public async Task GetSale_SaleWithoutVisitor_IsNotInfluenced()
    {
        await Click(101, Visitor, "Home - Trending");
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "S-6", products = new[] { new { id = 101, price = 1, quantity = 1 } } });

        var report = _emulator.Emulator.State.GetSale("S-6")!;
        Assert.Null(report.Sale.Visitor);
        Assert.False(report.ClerkInfluenced);
    }

    [Fact]
    public async Task HttpSales_KnownSale_ReturnsReportAsJson()
    {
        await Click(101, Visitor, "Home - Trending");
        await Sale("S-7", Visitor);

        var (response, text) = await _emulator.GetAsync("_emulator/sales/S-7");
        var report = JsonNode.Parse(text)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)report["clerkInfluenced"]!);
        Assert.Equal("Home - Trending", (string?)report["labels"]![0]);
        Assert.Equal(Visitor, (string?)report["sale"]!["visitor"]);
    }

    [Fact]
    public async Task HttpCallsAndSales_SaleWithEmail_ShowTheAddressMaskedLikeTheInspector()
    {
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "S-MASK", visitor = Visitor, email = "luke@example.com", products = new[] { new { id = 101, price = 1, quantity = 1 } } });

        var (_, calls) = await _emulator.GetAsync("_emulator/calls?endpoint=log/sale");
        var (_, sale) = await _emulator.GetAsync("_emulator/sales/S-MASK");

        foreach (var text in new[] { calls, sale })
        {
            Assert.DoesNotContain("luke@example.com", text, StringComparison.Ordinal);
            Assert.Contains("l***@example.com", text, StringComparison.Ordinal);
        }

        // In process, a test still reads what the shop sent.
        Assert.Equal("luke@example.com", _emulator.Emulator.State.GetSale("S-MASK")!.Sale.Email);
    }

    [Fact]
    public async Task HttpSales_UnknownSale_Returns404()
    {
        var (response, _) = await _emulator.GetAsync("_emulator/sales/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HttpCalls_FilteredByEndpointAndVisitor_ReturnsOnlyThoseCalls()
    {
        await Click(101, Visitor, "Home - Trending");
        await Click(102, "OtherVisitor1", "Home - Trending");
        await Sale("S-8", Visitor);

        var (_, text) = await _emulator.GetAsync($"_emulator/calls?endpoint=log/click&visitor={Visitor}");
        var calls = JsonNode.Parse(text)!.AsArray();

        var call = Assert.Single(calls);
        Assert.Equal("log/click", (string?)call!["endpoint"]);
        Assert.Equal(Visitor, (string?)call["visitor"]);
        Assert.Equal(101, (int)call["arguments"]!["product"]!);
    }

    [Fact]
    public async Task HttpDeleteCalls_Always_ForgetsCallsAndSales()
    {
        await Sale("S-9", Visitor);

        var response = await _emulator.Http.DeleteAsync("_emulator/calls", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(_emulator.Emulator.State.GetCalls());
        Assert.Empty(_emulator.Emulator.State.GetSales());
    }

    [Fact]
    public async Task PrivacyForget_Visitor_RemovesTheirCallsAndDetachesSales()
    {
        await Click(101, Visitor, "Home - Trending");
        await Sale("S-10", Visitor);

        await _emulator.PostAsync("privacy/forget", new { key = Key, private_key = ClerkEmulatorOptions.DemoPrivateKey, visitor = Visitor });

        Assert.Empty(_emulator.Emulator.State.GetCalls("log/click", Visitor));
        Assert.Null(_emulator.Emulator.State.GetSale("S-10")!.Sale.Visitor);
    }

    [Fact]
    public async Task PrivacyInfo_Visitor_ListsTheirOrdersAndActivity()
    {
        await Click(101, Visitor, "Home - Trending");
        await Sale("S-11", Visitor);

        var (_, body) = await _emulator.PostAsync("privacy/info", new { key = Key, private_key = ClerkEmulatorOptions.DemoPrivateKey, visitor = Visitor });

        Assert.Equal("S-11", (string?)body["orders"]![0]);
        Assert.Equal(2, body["activity"]!.AsArray().Count);
    }

    [Fact]
    public async Task CallLog_BeyondItsBound_DropsTheOldestCalls()
    {
        await using var small = await ClerkEmulator.StartAsync(o => o.MaxRecordedCalls = 3, TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = small.BaseAddress };

        for (var product = 1; product <= 5; product++)
        {
            await http.GetAsync($"v2/log/product?key={Key}&product={product}", TestContext.Current.CancellationToken);
        }

        Assert.Equal(["3", "4", "5"], small.State.GetCalls().Select(c => c.Arguments.GetProperty("product").GetString()));
    }

    private Task<(HttpResponseMessage Response, JsonObject Body)> Click(int product, string visitor, string label) =>
        _emulator.PostAsync("log/click", new { key = Key, product, visitor, labels = new[] { label }, api = "recommendations/trending" });

    private Task<(HttpResponseMessage Response, JsonObject Body)> Sale(string sale, string? visitor, int quantity = 1) =>
        _emulator.PostAsync("log/sale", new { key = Key, sale, visitor, products = new[] { new { id = 101, price = 499.95, quantity } } });
}
