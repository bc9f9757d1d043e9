using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>
/// Real-time catalog sync in a shop with several Clerk stores: a change is queued once per store with a private key
/// (keyed by the store's public key), and the sender builds each store's <c>product/add</c> from the source with that
/// store's request and sends it with that store's keys. The sender is called as the outbox worker calls it, with one
/// store's messages; Clerk is a recorder that answers ok. The clock is fake and never advanced, so nothing is due.
/// </summary>
public sealed class CatalogSyncStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ClerkCallRecorder _clerk = new(_ => ClerkCallRecorder.Ok());
    private readonly StoreSyncCatalog _catalog = new();
    private readonly ConcurrentQueue<ClerkOutboxMessage> _queued = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<FeedHost> StartAsync(Action<ClerkOptions>? configure = null) =>
        FeedHost.StartAsync(
            configure ?? FeedStoreTests.ThreeStores,
            feeds: b => b.AddProducts<StoreSyncSource>(),
            time: _time,
            services: s =>
            {
                s.AddSingleton(_catalog);
                s.AddHttpClient(ClerkOptions.HttpClientName).AddHttpMessageHandler(_clerk.CreateHandler);
                s.TryAddSingleton<InMemoryClerkOutbox>();
                s.Replace(ServiceDescriptor.Singleton<IClerkOutbox>(sp => new QueueRecorder(sp.GetRequiredService<InMemoryClerkOutbox>(), _queued)));
            });

    private static IClerkCatalogSync Sync(FeedHost host) => host.Services.GetRequiredService<IClerkCatalogSync>();

    private static IOutboxBatchSender Sender(FeedHost host) =>
        host.Services.GetServices<IOutboxBatchSender>().Single(s => s.Kind == "product");

    /// <summary>Sends the queued messages of each store as the worker would: one store's messages at a time.</summary>
    private async Task SendQueuedAsync(FeedHost host)
    {
        foreach (var store in _queued.GroupBy(m => m.Store))
        {
            Assert.Empty(await Sender(host).SendAsync([.. store], Ct));
        }
    }

    private JsonObject SentTo(string endpoint, string publicKey) =>
        Assert.Single(_clerk.Bodies(endpoint), b => (string?)b["key"] == publicKey);

    [Fact]
    public async Task ProductsChanged_TwoStoresWithPrivateKeys_QueuesOneMessagePerStoreKeyedByItsPublicKey()
    {
        await using var host = await StartAsync();

        await Sync(host).ProductsChangedAsync([1, 2], Ct);

        var messages = _queued.ToArray();
        Assert.Equal([FeedStoreTests.DePublic, FeedStoreTests.DkPublic], messages.Select(m => m.Store).Order(StringComparer.Ordinal));
        Assert.All(messages, m =>
        {
            Assert.Equal("product/add", m.Endpoint);
            Assert.DoesNotContain("private", m.Body, StringComparison.Ordinal);
        });

        // The store without a private key (no) gets nothing, and that is said once, by name.
        await Sync(host).ProductsChangedAsync([3], Ct);
        var skipped = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 96);
        Assert.Contains("store no has none", skipped.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_queued, m => m.Store == FeedStoreTests.NoPublic);
    }

    [Fact]
    public async Task SendAsync_EachStoresChange_SendsThatStoresDataWithThatStoresKeys()
    {
        _catalog.Set("dk", 1, "Sofa", 900m);
        _catalog.Set("de", 1, "Sofa (DE)", 120m);
        _catalog.Set("dk", 2, "Lampe", 300m);   // sold in Denmark only
        await using var host = await StartAsync();

        await Sync(host).ProductsChangedAsync([1, 2], Ct);
        await SendQueuedAsync(host);

        var dk = SentTo("product/add", FeedStoreTests.DkPublic);
        Assert.Equal(FeedStoreTests.DkPrivate, (string?)dk["private_key"]);
        Assert.Equal(["Lampe", "Sofa"], dk["products"]!.AsArray().Select(p => (string)p!["name"]!).Order(StringComparer.Ordinal));
        var de = SentTo("product/add", FeedStoreTests.DePublic);
        Assert.Equal(FeedStoreTests.DePrivate, (string?)de["private_key"]);
        var deProduct = Assert.Single(de["products"]!.AsArray())!;
        Assert.Equal(("Sofa (DE)", 120m), ((string)deProduct["name"]!, (decimal)deProduct["price"]!));

        // Not in the German catalog: removed from the German store only.
        var removed = SentTo("product/remove", FeedStoreTests.DePublic);
        Assert.Equal(FeedStoreTests.DePrivate, (string?)removed["private_key"]);
        Assert.Equal([2], removed["products"]!.AsArray().Select(p => (int)p!));
        Assert.DoesNotContain(_clerk.Bodies("product/remove"), b => (string?)b["key"] == FeedStoreTests.DkPublic);

        // The source was asked once per store, with that store's request.
        Assert.Equal([("de", FeedStoreTests.DePublic, "german"), ("dk", FeedStoreTests.DkPublic, "danish")],
            _catalog.Lookups.Select(r => (r.StoreName, r.Store, r.Language)).Order());
        Assert.DoesNotContain(_clerk.Calls, c => c.Body.Contains(FeedStoreTests.NoPublic, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_OneStoresMessages_ReachOnlyThatStore()
    {
        _catalog.Set("dk", 1, "Sofa", 900m);
        _catalog.Set("de", 1, "Sofa (DE)", 120m);
        await using var host = await StartAsync();
        await Sync(host).ProductsChangedAsync([1], Ct);

        var problems = await Sender(host).SendAsync([.. _queued.Where(m => m.Store == FeedStoreTests.DePublic)], Ct);

        Assert.Empty(problems);
        var call = Assert.Single(_clerk.Calls);
        Assert.Contains(FeedStoreTests.DePublic, call.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(FeedStoreTests.DkPublic, call.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(FeedStoreTests.DkPrivate, call.Body, StringComparison.Ordinal);
        Assert.Equal("de", Assert.Single(_catalog.Lookups).StoreName);
        Assert.Contains("store de", (await host.Logs.WaitForEventAsync(83, "the change sent")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductsChangedInStoresAsync_OneStore_QueuesForThatStoreOnly()
    {
        await using var host = await StartAsync();

        await Sync(host).ProductsChangedInStoresAsync(["DE"], [1], Ct);
        await Sync(host).ProductsRemovedFromStoresAsync(["dk"], [2], Ct);

        Assert.Equal([(FeedStoreTests.DePublic, "product/add"), (FeedStoreTests.DkPublic, "product/remove")],
            _queued.Select(m => (m.Store, m.Endpoint)));
    }

    [Fact]
    public async Task ProductsChangedInStoresAsync_UnknownStore_ThrowsNamingTheStoresAndQueuesNothing()
    {
        await using var host = await StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(async () => await Sync(host).ProductsChangedInStoresAsync(["dk", "se"], [1], Ct));

        Assert.Contains("'se'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("de, dk, no", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_queued);
    }

    [Fact]
    public async Task SendAsync_MessageOfAStoreNoLongerConfigured_IsAProblemAndSendsNothing()
    {
        await using var host = await StartAsync();
        var message = new ClerkOutboxMessage
        {
            Id = Guid.NewGuid(),
            Store = "a-removed-store",
            Kind = "product",
            Endpoint = "product/add",
            Body = """{"products":[1],"seq":1}""",
            CreatedAt = _time.GetUtcNow(),
        };

        var problem = Assert.Single(await Sender(host).SendAsync([message], Ct));

        Assert.Contains("no longer configured", problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("a-removed-store", problem.Reason, StringComparison.Ordinal);
        Assert.Empty(_clerk.Calls);
    }

    [Fact]
    public async Task ProductsChanged_NoStoreHasAPrivateKey_LogsWhichToSetAndQueuesNothing()
    {
        await using var host = await StartAsync(o =>
        {
            FeedStoreTests.ThreeStores(o);
            o.Stores["dk"].PrivateKey = null;
            o.Stores["de"].PrivateKey = null;
        });

        await Sync(host).ProductsChangedAsync([1], Ct);

        var record = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 86);
        Assert.Contains("(de, dk, no)", record.Message, StringComparison.Ordinal);
        Assert.Contains("Clerk:Stores:<store>:PrivateKey", record.Message, StringComparison.Ordinal);
        Assert.Empty(_queued);
    }

    [Fact]
    public async Task ProductsChanged_OneStore_QueuesOneMessageWithItsKeyAsBefore()
    {
        _catalog.Set("default", 1, "Sofa", 900m);
        await using var host = await StartAsync(_ => { });

        await Sync(host).ProductsChangedAsync([1], Ct);
        await SendQueuedAsync(host);

        Assert.Equal(FeedHost.PublicKey, Assert.Single(_queued).Store);
        var sent = SentTo("product/add", FeedHost.PublicKey);
        Assert.Equal(FeedHost.PrivateKey, (string?)sent["private_key"]);
        Assert.Equal(("default", FeedHost.PublicKey), (Assert.Single(_catalog.Lookups).StoreName, Assert.Single(_catalog.Lookups).Store));
        Assert.DoesNotContain(host.Logs.ClerkRecords(), r => r.Id.Id == 96);
    }

    /// <summary>Each store's products by ID, and every lookup's request.</summary>
    internal sealed class StoreSyncCatalog
    {
        private readonly ConcurrentDictionary<(string Store, ClerkProductId Id), ClerkFeedProduct> _products = new();
        private readonly ConcurrentQueue<ClerkFeedRequest> _lookups = new();

        public IReadOnlyList<ClerkFeedRequest> Lookups => [.. _lookups];

        public void Set(string store, long id, string name, decimal price) =>
            _products[(store, id)] = new ClerkFeedProduct { Id = id, Name = name, Price = price };

        public IEnumerable<ClerkFeedProduct> Find(ClerkFeedRequest request, IReadOnlyCollection<ClerkProductId> ids)
        {
            _lookups.Enqueue(request);
            foreach (var id in ids)
            {
                if (_products.TryGetValue((request.StoreName, id), out var product))
                {
                    yield return product;
                }
            }
        }
    }

    internal sealed class StoreSyncSource(StoreSyncCatalog catalog) : IClerkProductSource
    {
        public IAsyncEnumerable<ClerkFeedProduct> GetPageAsync(ClerkFeedRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Sync does not page.");

        public IAsyncEnumerable<ClerkFeedProduct> FindAsync(IReadOnlyCollection<ClerkProductId> ids, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Sync asks with the store's request.");

        public async IAsyncEnumerable<ClerkFeedProduct> FindAsync(ClerkFeedRequest request, IReadOnlyCollection<ClerkProductId> ids, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var product in catalog.Find(request, ids))
            {
                yield return product;
            }
        }
    }

    /// <summary>The in-memory outbox, recording every message written to it.</summary>
    private sealed class QueueRecorder(IClerkOutbox inner, ConcurrentQueue<ClerkOutboxMessage> queued) : ForwardingOutbox(inner)
    {
        public override ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default)
        {
            queued.Enqueue(message);
            return Inner.AddAsync(message, cancellationToken);
        }
    }
}
