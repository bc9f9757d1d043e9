using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Testing.Tests.Stores;

/// <summary>Several Clerk stores in one emulator: each call goes to the store of its key, and the stores never mix.</summary>
public sealed class EmulatorStoresTests : IClassFixture<StoresEmulator>
{
    private const string Key = StoresEmulator.Key;
    private const string PrivateKey = StoresEmulator.PrivateKey;
    private const string KeyEn = StoresEmulator.KeyEn;
    private const string PrivateKeyEn = StoresEmulator.PrivateKeyEn;
    private const string Visitor = "aR9Km32lQx7Tz0Pb";
    private readonly StoresEmulator _emulator;

    public EmulatorStoresTests(StoresEmulator emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    [Fact]
    public void Options_Defaults_ServeBothDemoStores()
    {
        var options = new ClerkEmulatorOptions();
        var stores = new ClerkEmulatorStores(options);

        Assert.Equal(ClerkEmulatorOptions.DemoPublicKey, options.PublicKey);
        Assert.Equal(ClerkEmulatorOptions.DemoPrivateKey, options.PrivateKey);
        var en = Assert.Single(options.AdditionalStores);
        Assert.Equal(("demo-public-key-en", "demo-private-key-en"), (en.PublicKey, en.PrivateKey));
        Assert.Equal([Key, KeyEn], stores.Select(s => s.PublicKey));
        Assert.Same(stores[0], stores.Default);
    }

    [Fact]
    public async Task StartAsync_Defaults_DefaultStoreIsStateAndEnStoreIsFoundByItsKey()
    {
        await using var emulator = await ClerkEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, emulator.Stores.Count);
        Assert.Same(emulator.Stores.Default, emulator.State);
        Assert.Equal(Key, emulator.State.PublicKey);
        Assert.Same(emulator.Stores[1], emulator.GetState(KeyEn));
    }

    [Fact]
    public void GetState_UnknownKey_ThrowsNamingTheStoresThereAre()
    {
        var exception = Assert.Throws<ArgumentException>(() => _emulator.Emulator.GetState("no-such-key"));

        Assert.Contains($"'{Key}', '{KeyEn}'", exception.Message, StringComparison.Ordinal);
        Assert.Null(_emulator.Emulator.Stores.Find("no-such-key"));
    }

    [Fact]
    public async Task StartAsync_TwoStoresWithOneKey_ThrowsNamingTheKey()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => ClerkEmulator.StartAsync(
            o => o.AdditionalStores.Add(new ClerkEmulatorStoreOptions(Key, "another-private-key")), TestContext.Current.CancellationToken));

        Assert.Contains($"'{Key}'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_StoreWithoutPrivateKey_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => ClerkEmulator.StartAsync(
            o => o.AdditionalStores.Add(new ClerkEmulatorStoreOptions { PublicKey = "demo-public-key-de" }), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StartAsync_AnySetOfStores_EachServesItsOwnKey()
    {
        await using var emulator = await ClerkEmulator.StartAsync(
            o =>
            {
                o.PublicKey = "dk-public";
                o.PrivateKey = "dk-private";
                o.AdditionalStores.Clear();
                o.AdditionalStores.Add(new ClerkEmulatorStoreOptions("se-public", "se-private"));
                o.AdditionalStores.Add(new ClerkEmulatorStoreOptions("no-public", "no-private"));
            },
            TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };

        foreach (var key in new[] { "dk-public", "se-public", "no-public", ClerkEmulatorOptions.DemoPublicKeyEn })
        {
            await http.PostAsJsonAsync("v2/log/product", new { key, product = 1 }, TestContext.Current.CancellationToken);
        }

        Assert.Equal(["dk-public", "se-public", "no-public"], emulator.Stores.Select(s => s.PublicKey));
        Assert.Single(emulator.GetState("se-public").GetCalls("log/product"));
        Assert.Single(emulator.GetState("no-public").GetCalls("log/product"));
        Assert.Equal([true, false], emulator.State.GetCalls("log/product").Select(c => c.Succeeded)); // the en key is no store's here
    }

    [Fact]
    public void AddClerkEmulator_Services_ResolveTheStoresAndTheDefaultStoresState()
    {
        using var services = new ServiceCollection().AddClerkEmulator().BuildServiceProvider();

        var stores = services.GetRequiredService<ClerkEmulatorStores>();

        Assert.Same(stores.Default, services.GetRequiredService<ClerkEmulatorState>());
        Assert.Equal([Key, KeyEn], stores.Select(s => s.PublicKey));
    }

    [Fact]
    public async Task LogSale_WithTheEnKey_IsStoredInTheEnStoreOnly()
    {
        var (response, _) = await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-1", visitor = Visitor, products = new[] { new { id = 201, price = 59.95, quantity = 1 } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sale = Assert.Single(_emulator.En.GetSales());
        Assert.Equal(("EN-1", KeyEn), (sale.SaleId, sale.Store));
        Assert.Equal(KeyEn, Assert.Single(_emulator.En.GetCalls("log/sale")).Store);
        Assert.Empty(_emulator.Default.GetSales());
        Assert.Empty(_emulator.Default.GetCalls());
        Assert.Null(_emulator.Default.GetSale("EN-1"));
        Assert.Equal(new ClerkEmulatorSalesSummary(0, 0, 0, 0), _emulator.Default.GetSalesSummary());
        Assert.Equal(new ClerkEmulatorSalesSummary(1, 1, 0, 0), _emulator.En.GetSalesSummary());
    }

    [Fact]
    public async Task LogSale_WithTheDefaultKey_IsNeverSeenInTheEnStore()
    {
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "DK-1", visitor = Visitor, products = new[] { 101 } });

        Assert.Equal(Key, Assert.Single(_emulator.Default.GetSales()).Store);
        Assert.Empty(_emulator.En.GetSales());
        Assert.Empty(_emulator.En.GetCalls());
    }

    [Fact]
    public async Task LogSale_SameSaleIdInTwoStores_IsTwoSalesNotADuplicate()
    {
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "1001", products = new[] { 101 } });
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "1001", products = new[] { 201 } });

        Assert.Equal(new ClerkEmulatorSalesSummary(1, 1, 0, 0), _emulator.Default.GetSalesSummary());
        Assert.Equal(new ClerkEmulatorSalesSummary(1, 1, 0, 0), _emulator.En.GetSalesSummary());
    }

    [Fact]
    public async Task Calls_OfBothStores_NumberedInOneSequenceOfArrival()
    {
        await _emulator.PostAsync("log/product", new { key = Key, product = 101 });
        await _emulator.PostAsync("log/product", new { key = KeyEn, product = 201 });
        await _emulator.PostAsync("log/product", new { key = Key, product = 102 });

        var first = _emulator.Default.GetCalls();
        var en = Assert.Single(_emulator.En.GetCalls());

        Assert.True(first[0].Sequence < en.Sequence && en.Sequence < first[1].Sequence);
    }

    [Fact]
    public async Task SaleAttribution_ClickInTheOtherStore_DoesNotInfluenceTheSale()
    {
        await _emulator.PostAsync("log/click", new { key = Key, product = 101, visitor = Visitor, labels = new[] { "Home - Trending" } });
        await _emulator.PostAsync("log/click", new { key = KeyEn, product = 202, visitor = Visitor, labels = new[] { "Home - Popular" } });
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-2", visitor = Visitor, products = new[] { 201, 202 } });

        var report = _emulator.En.GetSale("EN-2")!;

        Assert.True(report.ClerkInfluenced);
        Assert.Equal(["Home - Popular"], report.Labels);
        Assert.All(report.Clicks, c => Assert.Equal(KeyEn, c.Store));
    }

    [Fact]
    public async Task PrivateKey_OfTheDefaultStoreWithTheEnKey_AnswersAuthenticationError()
    {
        var (response, body) = await _emulator.PostAsync("client/account/info", new { key = KeyEn, private_key = PrivateKey });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AuthenticationError", (string?)body["type"]);
        var call = Assert.Single(_emulator.En.GetCalls());
        Assert.False(call.Succeeded);
        Assert.Equal("(redacted)", (string?)call.Arguments.GetProperty("private_key").GetString());
    }

    [Fact]
    public async Task PrivateKey_OfTheEnStoreWithTheDefaultKey_AnswersAuthenticationError()
    {
        var (response, body) = await _emulator.PostAsync("product/add", new { key = Key, private_key = PrivateKeyEn, products = new[] { new { id = 107, name = "Stolen", price = 1m } } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AuthenticationError", (string?)body["type"]);
        Assert.Null(_emulator.Default.GetProduct("107"));
    }

    [Theory]
    [InlineData(Key, PrivateKey)]
    [InlineData(KeyEn, PrivateKeyEn)]
    public async Task PrivateKey_OfTheSameStore_Opens(string key, string privateKey)
    {
        var (response, body) = await _emulator.PostAsync("client/account/info", new { key, private_key = privateKey });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (string?)body["status"]);
    }

    [Fact]
    public async Task UnknownKey_AnswersAuthenticationErrorRecordedInTheDefaultStore()
    {
        var (response, body) = await _emulator.PostAsync("log/product", new { key = "demo-public-key-de", product = 101 });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AuthenticationError", (string?)body["type"]);
        Assert.Equal("AuthenticationError", Assert.Single(_emulator.Default.GetCalls()).ErrorType);
        Assert.Empty(_emulator.En.GetCalls());
    }

    [Fact]
    public async Task ProductAdd_InTheEnStore_ChangesOnlyItsCatalog()
    {
        try
        {
            await _emulator.PostAsync("product/add", new { key = KeyEn, private_key = PrivateKeyEn, products = new[] { new { id = 204, name = "Beanie", price = 15m } } });
            await _emulator.PostAsync("product/remove", new { key = KeyEn, private_key = PrivateKeyEn, products = new[] { 203 } });

            Assert.Equal(["201", "202", "204"], _emulator.En.GetProducts().Select(p => p.Id));
            Assert.Equal(["101", "102", "103", "104", "105", "106"], _emulator.Default.GetProducts().Select(p => p.Id));
        }
        finally
        {
            // The fixture's catalogs are shared by the class: put the en store's back.
            await _emulator.PostAsync("product/remove", new { key = KeyEn, private_key = PrivateKeyEn, products = new[] { 204 } });
            await _emulator.PostAsync("product/add", new { key = KeyEn, private_key = PrivateKeyEn, products = new[] { new { id = 203, name = "Scarf", price = 19m, categories = new[] { "accessories" } } } });
        }
    }

    [Fact]
    public async Task Popular_EachStore_AnswersFromItsOwnCatalogAndSales()
    {
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-3", products = new[] { new { id = 203, price = 19, quantity = 5 } } });

        var (_, en) = await _emulator.PostAsync("recommendations/popular", new { key = KeyEn, limit = 3 });
        var (_, first) = await _emulator.PostAsync("recommendations/popular", new { key = Key, limit = 10 });

        Assert.Equal(203, (int)en["result"]![0]!);
        Assert.All(en["result"]!.AsArray(), id => Assert.InRange((int)id!, 201, 203));
        Assert.All(first["result"]!.AsArray(), id => Assert.InRange((int)id!, 101, 106));
    }

    [Fact]
    public async Task ProductIds_OfTheOtherStoresCatalogType_AreCheckedPerStore()
    {
        await using var emulator = await ClerkEmulator.StartAsync(
            o =>
            {
                o.Catalog.Add(new ClerkEmulatorProduct(1, "Integer ID", 1m));
                o.AdditionalStores[0].Catalog.Add(new ClerkEmulatorProduct("SKU-1", "String ID", 1m));
            },
            TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };

        var numberInEn = await http.PostAsJsonAsync("v2/log/sale", new { key = KeyEn, sale = "S-1", products = new[] { 1 } }, TestContext.Current.CancellationToken);
        var textInEn = await http.PostAsJsonAsync("v2/log/sale", new { key = KeyEn, sale = "S-2", products = new[] { "SKU-1" } }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, numberInEn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, textInEn.StatusCode);
        Assert.Equal(ClerkEmulatorIdType.String, emulator.GetState(KeyEn).CatalogIdType);
        Assert.Equal(ClerkEmulatorIdType.Number, emulator.State.CatalogIdType);
    }

    [Fact]
    public async Task PrivacyForget_InTheEnStore_LeavesTheDefaultStoreUntouched()
    {
        await _emulator.PostAsync("log/click", new { key = Key, product = 101, visitor = Visitor });
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "DK-4", visitor = Visitor, products = new[] { 101 } });
        await _emulator.PostAsync("log/click", new { key = KeyEn, product = 201, visitor = Visitor });
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-4", visitor = Visitor, products = new[] { 201 } });

        var (response, _) = await _emulator.PostAsync("privacy/forget", new { key = KeyEn, private_key = PrivateKeyEn, visitor = Visitor });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_emulator.En.GetCalls("log/click", Visitor));
        Assert.Null(_emulator.En.GetSale("EN-4")!.Sale.Visitor);
        Assert.Single(_emulator.Default.GetCalls("log/click", Visitor));
        Assert.Equal(Visitor, _emulator.Default.GetSale("DK-4")!.Sale.Visitor);
    }

    [Fact]
    public async Task PrivacyInfo_InOneStore_ListsOnlyThatStoresOrders()
    {
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "DK-5", email = "luke@example.com", products = new[] { 101 } });
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-5", email = "luke@example.com", products = new[] { 201 } });

        var (_, body) = await _emulator.PostAsync("privacy/info", new { key = KeyEn, private_key = PrivateKeyEn, email = "luke@example.com" });

        Assert.Equal(["EN-5"], body["orders"]!.AsArray().Select(o => (string?)o));
    }

    [Fact]
    public async Task InjectFault_InTheEnStore_FailsOnlyItsCalls()
    {
        _emulator.En.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));

        var (en, _) = await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-6", products = new[] { 201 } });
        var (first, _) = await _emulator.PostAsync("log/sale", new { key = Key, sale = "DK-6", products = new[] { 101 } });

        Assert.Equal(HttpStatusCode.InternalServerError, en.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task PostFaults_StoreQuery_InjectsIntoThatStoreOnly()
    {
        var injected = await _emulator.Http.PostAsJsonAsync(
            $"_emulator/faults?store={KeyEn}", new { endpoint = "log/product", kind = "InternalError" }, TestContext.Current.CancellationToken);

        var (en, _) = await _emulator.PostAsync("log/product", new { key = KeyEn, product = 201 });
        var (first, _) = await _emulator.PostAsync("log/product", new { key = Key, product = 101 });
        await _emulator.Http.DeleteAsync("_emulator/faults", TestContext.Current.CancellationToken);
        var (enAfterClear, _) = await _emulator.PostAsync("log/product", new { key = KeyEn, product = 201 });

        Assert.Equal(HttpStatusCode.NoContent, injected.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, en.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enAfterClear.StatusCode);
    }

    [Fact]
    public async Task Reset_OfOneStore_KeepsTheOtherStoresCalls()
    {
        await _emulator.PostAsync("log/product", new { key = Key, product = 101 });
        await _emulator.PostAsync("log/product", new { key = KeyEn, product = 201 });

        _emulator.En.Reset();

        Assert.Empty(_emulator.En.GetCalls());
        Assert.Single(_emulator.Default.GetCalls());
    }

    [Fact]
    public async Task DeleteCalls_StoreQuery_ResetsThatStoreAndWithoutItEveryStore()
    {
        await _emulator.PostAsync("log/product", new { key = Key, product = 101 });
        await _emulator.PostAsync("log/product", new { key = KeyEn, product = 201 });

        await _emulator.Http.DeleteAsync($"_emulator/calls?store={KeyEn}", TestContext.Current.CancellationToken);
        var afterOne = (_emulator.Default.GetCalls().Count, _emulator.En.GetCalls().Count);
        await _emulator.PostAsync("log/product", new { key = KeyEn, product = 201 });
        await _emulator.Http.DeleteAsync("_emulator/calls", TestContext.Current.CancellationToken);

        Assert.Equal((1, 0), afterOne);
        Assert.Empty(_emulator.Default.GetCalls());
        Assert.Empty(_emulator.En.GetCalls());
    }

    [Fact]
    public async Task GetCalls_StoreQuery_ListsThatStoresCallsWithTheirStore()
    {
        await _emulator.PostAsync("log/product", new { key = Key, product = 101 });
        await _emulator.PostAsync("log/product", new { key = KeyEn, product = 201 });

        var (_, en) = await _emulator.GetAsync($"_emulator/calls?store={KeyEn}");
        var (_, first) = await _emulator.GetAsync("_emulator/calls");

        Assert.Equal(KeyEn, (string?)Assert.Single(JsonNode.Parse(en)!.AsArray())!["store"]);
        Assert.Equal(Key, (string?)Assert.Single(JsonNode.Parse(first)!.AsArray())!["store"]);
    }

    [Fact]
    public async Task GetSale_StoreQuery_FindsTheSaleOnlyInItsStore()
    {
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-7", products = new[] { 201 } });

        var (inEn, _) = await _emulator.GetAsync($"_emulator/sales/EN-7?store={KeyEn}");
        var (inDefault, _) = await _emulator.GetAsync("_emulator/sales/EN-7");
        var (_, summary) = await _emulator.GetAsync($"_emulator/sales?store={KeyEn}");

        Assert.Equal(HttpStatusCode.OK, inEn.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, inDefault.StatusCode);
        Assert.Equal(1, (int)JsonNode.Parse(summary)!["distinct"]!);
    }

    [Theory]
    [InlineData("_emulator/calls")]
    [InlineData("_emulator/sales")]
    [InlineData("_emulator/sales/S-1")]
    [InlineData("_emulator/import")]
    public async Task InspectionEndpoints_UnknownStore_Answer404NamingTheStores(string path)
    {
        var (response, text) = await _emulator.GetAsync($"{path}?store=demo-public-key-de");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(KeyEn, text, StringComparison.Ordinal);
    }
}
