using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Runtime.CompilerServices;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>
/// The feeds of a shop with several Clerk stores: the importer's <c>key</c> picks the store, its <c>private_key</c> (or
/// token) must be that store's, and the source is asked for that store's catalog only.
/// </summary>
public sealed class FeedStoreTests
{
    public const string DkPublic = "dk-public-key";
    public const string DkPrivate = "dk-private-key-4b1e";
    public const string DePublic = "de-public-key";
    public const string DePrivate = "de-private-key-77c0";
    public const string NoPublic = "no-public-key";

    private const string Refused = """{"error":{"code":403,"message":"Invalid Authentication, please provide valid credentials."}}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Three stores: dk and de with both keys, no (Norway) without a private key.</summary>
    internal static void ThreeStores(ClerkOptions o)
    {
        o.PublicKey = null;
        o.PrivateKey = null;
        o.Stores["dk"] = new ClerkStoreOptions { PublicKey = DkPublic, PrivateKey = DkPrivate, Language = "danish" };
        o.Stores["de"] = new ClerkStoreOptions { PublicKey = DePublic, PrivateKey = DePrivate, Language = "german" };
        o.Stores["no"] = new ClerkStoreOptions { PublicKey = NoPublic, Language = "norwegian" };
        o.DefaultStore = "dk";
    }

    private static Task<FeedHost> StartAsync(Action<IServiceCollection>? services = null) =>
        FeedHost.StartAsync(
            ThreeStores,
            feeds: b => b.AddProducts<StoreProductSource>(),
            services: s =>
            {
                s.AddSingleton<StoreCatalogs>();
                services?.Invoke(s);
            });

    private static StoreCatalogs Catalogs(FeedHost host) => host.Services.GetRequiredService<StoreCatalogs>();

    [Fact]
    public async Task Get_StoreAsKeys_ServesOnlyThatStoresCatalogAndTheSourceGetsThatStore()
    {
        await using var host = await StartAsync();

        var (dkStatus, dkBody) = await host.GetTextAsync("product", keys: $"key={DkPublic}&private_key={DkPrivate}");
        var (deStatus, deBody) = await host.GetTextAsync("product", keys: $"key={DePublic}&private_key={DePrivate}");

        Assert.Equal(HttpStatusCode.OK, dkStatus);
        Assert.Equal(HttpStatusCode.OK, deStatus);
        Assert.Contains("Sofa (dk)", dkBody, StringComparison.Ordinal);
        Assert.DoesNotContain("(de)", dkBody, StringComparison.Ordinal);
        Assert.Contains("Sofa (de)", deBody, StringComparison.Ordinal);
        Assert.DoesNotContain("(dk)", deBody, StringComparison.Ordinal);
        var requests = Catalogs(host).Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal(("dk", DkPublic, "danish"), (requests[0].StoreName, requests[0].Store, requests[0].Language));
        Assert.Equal(("de", DePublic, "german"), (requests[1].StoreName, requests[1].Store, requests[1].Language));
    }

    [Fact]
    public async Task Get_SourceAsksForTheRequestsStore_GetsTheAuthenticatedStoreWhateverTheDefault()
    {
        await using var host = await StartAsync();

        await host.GetTextAsync("product", keys: $"key={DePublic}&private_key={DePrivate}");

        Assert.Equal("de", Assert.Single(Catalogs(host).StoresOfTheRequest));
    }

    [Theory]
    [InlineData($"key={DkPublic}&private_key={DePrivate}")]
    [InlineData($"key={DePublic}&private_key={DkPrivate}")]
    [InlineData($"key=unknown-store&private_key={DkPrivate}")]
    [InlineData($"key={NoPublic}&private_key={DkPrivate}")]
    [InlineData($"key={NoPublic}&private_key=")]
    public async Task Get_KeysThatAreNotOneStoresPair_Answers403AndAsksNoSource(string keys)
    {
        await using var host = await StartAsync();

        var (status, body) = await host.GetTextAsync("product", keys: keys);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(Refused, body);
        Assert.Empty(Catalogs(host).Requests);
    }

    [Fact]
    public async Task Get_StoreWithoutAPrivateKey_IsRefusedAndNamedAtStart()
    {
        await using var host = await StartAsync();
        using var failures = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkDiagnostics.MeterName, "clerk.feed.authentication.failures");

        var (status, _) = await host.GetTextAsync("product", keys: $"key={NoPublic}&private_key=anything");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal("no_private_key", failure.Tags["clerk.reason"]);
        Assert.Equal("no", failure.Tags["clerk.store"]);
        var startUp = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 95);
        Assert.Contains("stores no have no private key", startUp.Message, StringComparison.Ordinal);
        Assert.Contains("Clerk:Stores:<store>:PrivateKey", startUp.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.ClerkRecords(), r => r.Id.Id == 71);
    }

    [Fact]
    public async Task Get_WrongPrivateKeyForAStore_LogsTheStoresNameNeverAKey()
    {
        await using var host = await StartAsync();

        await host.GetTextAsync("product", keys: $"key={DkPublic}&private_key={DePrivate}");

        var record = await host.Logs.WaitForEventAsync(70, "the refusal");
        Assert.Contains("'dk'", record.Message, StringComparison.Ordinal);
        foreach (var key in new[] { DkPrivate, DePrivate, DkPublic })
        {
            Assert.DoesNotContain(key, record.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_ServedPage_IsCountedAndLoggedWithTheStoresNameNeverItsKey()
    {
        await using var host = await StartAsync();
        using var pages = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkDiagnostics.MeterName, "clerk.feed.pages");
        using var items = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkDiagnostics.MeterName, "clerk.feed.items");

        await host.GetTextAsync("product", keys: $"key={DePublic}&private_key={DePrivate}");

        var page = Assert.Single(pages.GetMeasurementSnapshot());
        Assert.Equal("de", page.Tags["clerk.store"]);
        Assert.Equal("de", Assert.Single(items.GetMeasurementSnapshot()).Tags["clerk.store"]);
        var served = await host.Logs.WaitForEventAsync(78, "the page served");
        Assert.Contains("store de", served.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DePublic, served.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_BearerToken_IsVerifiedForTheStoreTheKeyNamesAndServesThatStore()
    {
        var verifier = new StoreTokenVerifier();
        await using var host = await StartAsync(s => s.AddSingleton<IClerkFeedTokenVerifier>(verifier));

        var de = await host.SendAsync($"/clerk/product?key={DePublic}", headers: ("X-Clerk-Authorization", "Bearer de-token"));
        var dkWithDesToken = await host.SendAsync($"/clerk/product?key={DkPublic}", headers: ("X-Clerk-Authorization", "Bearer de-token"));
        var noStore = await host.SendAsync($"/clerk/product?key={NoPublic}", headers: ("X-Clerk-Authorization", "Bearer no-token"));

        Assert.Equal(200, de.Response.StatusCode);
        Assert.Equal(403, dkWithDesToken.Response.StatusCode);
        Assert.Equal(403, noStore.Response.StatusCode);
        Assert.Equal(["de", "dk"], verifier.Stores);
        Assert.Equal("de", Assert.Single(Catalogs(host).Requests).StoreName);
    }

    [Fact]
    public async Task MapClerkFeeds_EveryStoreHasAPrivateKey_WarnsOfNothing()
    {
        await using var host = await FeedHost.StartAsync(o =>
        {
            ThreeStores(o);
            o.Stores.Remove("no");
        });

        Assert.DoesNotContain(host.Logs.ClerkRecords(), r => r.Id.Id is 71 or 95);
    }

    /// <summary>Each store's catalog: the same product, named for the store; and what the source was asked.</summary>
    internal sealed class StoreCatalogs
    {
        public ConcurrentQueue<ClerkFeedRequest> Requests { get; } = new();

        /// <summary>What <c>HttpContext.GetClerkStore()</c> said while the source read a page.</summary>
        public ConcurrentQueue<string?> StoresOfTheRequest { get; } = new();

        public static ClerkFeedProduct Product(long id, string store) => new() { Id = id, Name = $"Sofa ({store})", Price = store == "de" ? 120m : 900m };
    }

    internal sealed class StoreProductSource(StoreCatalogs catalogs, Microsoft.AspNetCore.Http.IHttpContextAccessor? accessor = null) : IClerkProductSource
    {
        public async IAsyncEnumerable<ClerkFeedProduct> GetPageAsync(ClerkFeedRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            catalogs.Requests.Enqueue(request);
            if (accessor?.HttpContext is { } context)
            {
                catalogs.StoresOfTheRequest.Enqueue(Microsoft.AspNetCore.Http.ClerkStoreHttpContextExtensions.GetClerkStore(context)?.Name);
            }

            await Task.Yield();
            if (request.Page == 1)
            {
                yield return StoreCatalogs.Product(1, request.StoreName);
            }
        }

        public IAsyncEnumerable<ClerkFeedProduct> FindAsync(IReadOnlyCollection<ClerkProductId> ids, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Sync asks with the store's request.");
    }

    /// <summary>Accepts "{store}-token" for that store only, and remembers which stores it was asked about.</summary>
    private sealed class StoreTokenVerifier : IClerkFeedTokenVerifier
    {
        private readonly ConcurrentQueue<string> _stores = new();

        public string[] Stores => [.. _stores.Order(StringComparer.Ordinal)];

        public ValueTask<bool> VerifyAsync(string token, string publicKey, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The feeds ask with the store.");

        public ValueTask<bool> VerifyAsync(string token, ClerkStore store, CancellationToken cancellationToken)
        {
            _stores.Enqueue(store.Name);
            return ValueTask.FromResult(token == $"{store.Name}-token");
        }
    }
}
