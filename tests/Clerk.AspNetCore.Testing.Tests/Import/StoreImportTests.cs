using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Clerk.AspNetCore.Testing.Tests.Stores;

namespace Clerk.AspNetCore.Testing.Tests.Import;

/// <summary>
/// Imports per store: each store's feeds are pulled with that store's keys and land in that store's catalog, as Clerk
/// imports each store of an account from its own feeds.
/// </summary>
public sealed class StoreImportTests : IAsyncLifetime
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string KeyEn = ClerkEmulatorOptions.DemoPublicKeyEn;
    private const string PrivateKeyEn = ClerkEmulatorOptions.DemoPrivateKeyEn;
    private static readonly string[] DefaultIds = ["101", "102", "103", "104", "105", "106"];
    private FeedHost _shop = null!;
    private ClerkEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _shop = await FeedHost.StartAsync();
        _shop.AcceptedKeys[KeyEn] = PrivateKeyEn;

        // The shop's feeds answer per store, by the key they are called with: the en store's are 501–503.
        _shop.Feeds["product"] = FeedHost.Products(Enumerable.Range(1, 3));
        _shop.Serve = request => request.Key == KeyEn
            ? request.Feed == "product" ? FeedHost.Page(FeedHost.Products(Enumerable.Range(501, 3)).Skip((request.Page - 1) * request.Limit).Take(request.Limit)) : FeedHost.Error(404, "Not found.")
            : null;
        _emulator = await ClerkEmulator.StartAsync(StoresEmulator.Configure, TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _emulator.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
        await _shop.DisposeAsync();
    }

    [Fact]
    public async Task ImportStoreAsync_EnStore_PullsWithItsKeysAndReplacesOnlyItsCatalog()
    {
        var import = await _emulator.Importer.ImportStoreAsync(KeyEn, _shop.BaseUrl, TestContext.Current.CancellationToken);

        Assert.True(import.Succeeded, string.Join(" | ", import.Errors));
        Assert.Equal(KeyEn, import.Store);
        Assert.All(_shop.Requests, r => Assert.Equal((KeyEn, PrivateKeyEn), (r.Key, r.PrivateKey)));
        Assert.Equal(["501", "502", "503"], _emulator.GetState(KeyEn).GetProducts().Select(p => p.Id));
        Assert.Same(import, _emulator.GetState(KeyEn).LastImport);
        Assert.Equal(DefaultIds, _emulator.State.GetProducts().Select(p => p.Id));
        Assert.Null(_emulator.State.LastImport);
    }

    [Fact]
    public async Task ImportAsync_DefaultKeys_LandsInTheDefaultStoreAsBefore()
    {
        var import = await _emulator.Importer.ImportAsync(_shop.BaseUrl, Key, ClerkEmulatorOptions.DemoPrivateKey, TestContext.Current.CancellationToken);

        Assert.True(import.Succeeded, string.Join(" | ", import.Errors));
        Assert.Equal(["1", "2", "3"], _emulator.State.GetProducts().Select(p => p.Id));
        Assert.Equal(3, _emulator.GetState(KeyEn).GetProducts().Count); // its own 201–203, untouched
        Assert.Null(_emulator.GetState(KeyEn).LastImport);
    }

    [Fact]
    public async Task ImportAsync_TheEnStoresKeys_LandsInTheEnStore()
    {
        await _emulator.Importer.ImportAsync(_shop.BaseUrl, KeyEn, PrivateKeyEn, TestContext.Current.CancellationToken);

        Assert.Equal(["501", "502", "503"], _emulator.GetState(KeyEn).GetProducts().Select(p => p.Id));
        Assert.Equal(DefaultIds, _emulator.State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task ImportAsync_RequestNamingAStore_LandsThereWhateverTheFeedKeys()
    {
        var request = new ClerkEmulatorImportRequest(_shop.BaseUrl, Key, ClerkEmulatorOptions.DemoPrivateKey) { Store = KeyEn };

        await _emulator.Importer.ImportAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(["1", "2", "3"], _emulator.GetState(KeyEn).GetProducts().Select(p => p.Id));
        Assert.Equal(DefaultIds, _emulator.State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task ImportAsync_UnknownStore_ThrowsNamingTheStores()
    {
        var request = new ClerkEmulatorImportRequest(_shop.BaseUrl, Key, ClerkEmulatorOptions.DemoPrivateKey) { Store = "demo-public-key-de" };

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => _emulator.Importer.ImportAsync(request, TestContext.Current.CancellationToken));

        Assert.Contains(KeyEn, exception.Message, StringComparison.Ordinal);
        Assert.Empty(_shop.Requests);
    }

    [Fact]
    public async Task ImportStoreAsync_UnknownStore_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _emulator.Importer.ImportStoreAsync("demo-public-key-de", _shop.BaseUrl, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PostImport_StoreInQueryOrBody_ImportsIntoThatStoreWithItsKeys(bool inQuery)
    {
        var response = await _http.PostAsJsonAsync(
            inQuery ? $"_emulator/import?store={KeyEn}" : "_emulator/import",
            inQuery ? new JsonObject { ["baseUrl"] = _shop.BaseUrl.ToString() } : new JsonObject { ["baseUrl"] = _shop.BaseUrl.ToString(), ["store"] = KeyEn },
            TestContext.Current.CancellationToken);
        var (_, last) = (response, await _http.GetStringAsync($"_emulator/import?store={KeyEn}", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(_shop.Requests, r => Assert.Equal((KeyEn, PrivateKeyEn), (r.Key, r.PrivateKey)));
        Assert.Equal(["501", "502", "503"], _emulator.GetState(KeyEn).GetProducts().Select(p => p.Id));
        Assert.Equal(DefaultIds, _emulator.State.GetProducts().Select(p => p.Id));
        Assert.Equal(KeyEn, (string?)JsonNode.Parse(last)!["store"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("_emulator/import", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task PostImport_NoStore_ImportsIntoTheDefaultStoreWithItsKeys()
    {
        var response = await _http.PostAsJsonAsync("_emulator/import", new { baseUrl = _shop.BaseUrl }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(_shop.Requests, r => Assert.Equal(Key, r.Key));
        Assert.Equal(["1", "2", "3"], _emulator.State.GetProducts().Select(p => p.Id));
    }

    [Fact]
    public async Task PostImport_KeyOfTheEnStoreWithoutStore_UsesItsPrivateKeyAndLandsThere()
    {
        var response = await _http.PostAsJsonAsync("_emulator/import", new { baseUrl = _shop.BaseUrl, key = KeyEn }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(_shop.Requests, r => Assert.Equal(PrivateKeyEn, r.PrivateKey));
        Assert.Equal(["501", "502", "503"], _emulator.GetState(KeyEn).GetProducts().Select(p => p.Id));
    }

    [Theory]
    [InlineData("_emulator/import?store=demo-public-key-de", null)]
    [InlineData("_emulator/import", "demo-public-key-de")]
    [InlineData("_emulator/import?store=demo-public-key", "demo-public-key-en")]
    public async Task PostImport_UnknownOrConflictingStore_Answers400(string path, string? bodyStore)
    {
        var response = await _http.PostAsJsonAsync(path, new { baseUrl = _shop.BaseUrl, store = bodyStore }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_shop.Requests);
    }
}
