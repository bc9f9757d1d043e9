using Clerk.AspNetCore.Feeds;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>
/// Real-time catalog sync end to end: <see cref="IClerkCatalogSync"/> writes changes to the outbox, the outbox worker
/// hands them to the catalog sender, which reads the product source and calls Clerk's <c>product/add</c> and
/// <c>product/remove</c> (the emulator on loopback, with a <see cref="ClerkCallRecorder"/> in front of it that sees the
/// bodies as sent). Time is a fake clock; nothing sleeps.
/// </summary>
public sealed class CatalogSyncTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan SyncDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(200);

    // Far longer than the sync delay and the retry delays: the worker never wakes by polling in these tests.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(5);

    private readonly SteppedTimeProvider _time = new();
    private readonly SyncCatalog _catalog = new();
    private ClerkCallRecorder _clerk = new();

    private ClerkEmulatorState Emulator => fixture.Emulator.State;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ServerSideHost> StartAsync(
        Action<ClerkOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        string environment = "Production",
        bool source = true,
        RequestDelegate? endpoint = null,
        ClerkEmulator? emulator = null,
        bool feeds = true)
    {
        fixture.Reset();
        return ServerSideHost.StartAsync(
            emulator ?? fixture.Emulator,
            o =>
            {
                o.SaleTracking = ClerkSaleTracking.ServerSide;
                o.Delivery.MaxRetryDelay = MaxRetryDelay;
                o.Delivery.OutboxPollInterval = PollInterval;
                o.Feeds.SyncDelay = SyncDelay;
                configure?.Invoke(o);
            },
            endpoint: endpoint,
            environment: environment,
            services: s =>
            {
                s.AddSingleton(_catalog);
                s.AddHttpClient(ClerkOptions.HttpClientName).AddHttpMessageHandler(_clerk.CreateHandler);
                if (feeds)
                {
                    var builder = s.AddClerkFeeds();
                    if (source)
                    {
                        builder.AddProducts<SyncProductSource>();
                    }
                }

                services?.Invoke(s);
            },
            time: _time);
    }

    private static IClerkCatalogSync Sync(ServerSideHost host) => host.Services.GetRequiredService<IClerkCatalogSync>();

    private static ValueTask<ClerkOutboxStatus> StatusAsync(ServerSideHost host) =>
        host.Services.GetRequiredService<IClerkOutbox>().GetStatusAsync(ClerkEmulatorOptions.DemoPublicKey, Ct);

    /// <summary>
    /// A return tracked now is leased only after the worker has marked what it sent before (the mark ends each round),
    /// so once it is delivered, the outbox's counts are final.
    /// </summary>
    private static async Task WorkerFinishedEarlierMessagesAsync(ServerSideHost host)
    {
        var delivered = host.Logs.ClerkRecords().Count(r => r.Id.Id == 31);
        await host.Tracker.TrackReturnAsync(101, "NG-MARKER", 1, Ct);
        await host.Logs.WaitForAsync(r => r.Id.Id == 31 && r.Message.Contains("return", StringComparison.Ordinal), "the marker return delivered", 1);
        Assert.True(host.Logs.ClerkRecords().Count(r => r.Id.Id == 31) > delivered);
    }

    private static string[] Sorted(IEnumerable<string> ids) => [.. ids.Order(StringComparer.Ordinal)];

    [Fact]
    public async Task ProductsChanged_QuickChanges_GoInOneProductAddOnceQuietForTheSyncDelay()
    {
        for (var id = 1; id <= 3; id++)
        {
            _catalog.Set(id, 10m * id);
        }

        await using var host = await StartAsync();
        var sync = Sync(host);

        await sync.ProductsChangedAsync([1, 2], Ct);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await sync.ProductsChangedAsync([2, 3], Ct);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await sync.ProductsChangedAsync([3], Ct);
        Assert.Empty(_clerk.Calls);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog changes sent");

        var call = Assert.Single(_clerk.ProductIds("product/add"));
        Assert.Equal(["1", "2", "3"], Sorted(call));
        Assert.Equal(["1", "2", "3"], Sorted(Assert.Single(_catalog.Lookups).Select(id => id.ToString())));
        Assert.Empty(_clerk.Bodies("product/remove", succeeded: false));
        var product = Assert.Single(_clerk.Bodies("product/add"))["products"]!.AsArray().Single(p => (int)p!["id"]! == 2)!;
        Assert.Equal(20m, (decimal)product["price"]!);
        Assert.Equal("Product 2", (string?)product["name"]);
    }

    [Fact]
    public async Task ProductsChanged_MoreThanSyncBatchSize_AreSentInCallsOfAtMostSyncBatchSize()
    {
        for (var id = 1; id <= 25; id++)
        {
            _catalog.Set(id, id);
        }

        await using var host = await StartAsync(o => o.Feeds.SyncBatchSize = 10);

        await Sync(host).ProductsChangedAsync([.. Enumerable.Range(1, 25).Select(i => (ClerkProductId)i)], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog changes sent");

        var calls = _clerk.ProductIds("product/add");
        Assert.Equal([10, 10, 5], calls.Select(c => c.Length));
        Assert.Equal(25, calls.SelectMany(c => c).Distinct().Count());
        Assert.All(_catalog.Lookups, ids => Assert.InRange(ids.Count, 1, 10));
    }

    [Fact]
    public async Task ProductsChanged_ProductTheSourceNoLongerHas_IsSentToProductRemove()
    {
        _catalog.Set(1, 10m);
        _catalog.Set(2, 20m);
        await using var host = await StartAsync();

        await Sync(host).ProductsChangedAsync([1, 2, 3], Ct);
        _catalog.Remove(2);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog changes sent");

        Assert.Equal(["1"], Assert.Single(_clerk.ProductIds("product/add")));
        Assert.Equal(["2", "3"], Sorted(Assert.Single(_clerk.ProductIds("product/remove"))));
    }

    [Fact]
    public async Task ProductsRemovedThenChanged_SameProduct_IsAddedAgain()
    {
        _catalog.Set(1, 10m);
        await using var host = await StartAsync();
        var sync = Sync(host);

        await sync.ProductsRemovedAsync([1], Ct);
        await sync.ProductsChangedAsync([1], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog changes sent");

        Assert.Equal(["1"], Assert.Single(_clerk.ProductIds("product/add")));
        Assert.Empty(_clerk.ProductIds("product/remove"));
    }

    [Fact]
    public async Task ProductsChangedThenRemoved_SameProduct_IsRemovedWhateverTheSourceSays()
    {
        _catalog.Set(1, 10m);
        _catalog.Set(2, 20m);
        await using var host = await StartAsync();
        var sync = Sync(host);

        await sync.ProductsChangedAsync([1, 2], Ct);
        await sync.ProductsRemovedAsync([1], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog changes sent");

        Assert.Equal(["2"], Assert.Single(_clerk.ProductIds("product/add")));
        Assert.Equal(["1"], Assert.Single(_clerk.ProductIds("product/remove")));
        Assert.Equal(["2"], Assert.Single(_catalog.Lookups).Select(id => id.ToString()));
    }

    [Fact]
    public async Task ProductsChanged_StringIds_KeepTheirJsonTypeOnTheWire()
    {
        _catalog.Set("SKU-1", 10m);

        // An emulator of its own, with no catalog: the shared one's has integer IDs, and Clerk (like the emulator)
        // refuses a product whose ID type differs from its catalog's.
        await using var stringCatalog = await ClerkEmulator.StartAsync(cancellationToken: Ct);
        await using var host = await StartAsync(emulator: stringCatalog);

        await Sync(host).ProductsChangedAsync(["SKU-1", "SKU-2"], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog changes sent");

        Assert.Equal(["\"SKU-1\""], Assert.Single(_clerk.ProductIds("product/add")));
        Assert.Equal(["\"SKU-2\""], Assert.Single(_clerk.ProductIds("product/remove")));
        Assert.Equal(ClerkEmulatorIdType.String, stringCatalog.State.CatalogIdType);
    }

    [Fact]
    public async Task ProductsChanged_PrivateKey_IsInTheSentBodiesButNeverInTheOutboxRowsNorTheLogs()
    {
        var outbox = new RecordingOutbox();
        _catalog.Set(1, 10m);
        await using var host = await StartAsync(services: s => outbox.Register(s));

        await Sync(host).ProductsChangedAsync([1, 2], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog changes sent");
        await WorkerFinishedEarlierMessagesAsync(host);

        var row = Assert.Single(outbox.Added, m => m.Kind == "product");
        Assert.Equal("product/add", row.Endpoint);
        Assert.DoesNotContain(ClerkEmulatorOptions.DemoPrivateKey, row.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("private_key", row.Body, StringComparison.Ordinal);
        Assert.Equal(row.CreatedAt + SyncDelay, row.DueAt);
        foreach (var endpoint in new[] { "product/add", "product/remove" })
        {
            var body = Assert.Single(_clerk.Bodies(endpoint));
            Assert.Equal(ClerkEmulatorOptions.DemoPublicKey, (string?)body["key"]);
            Assert.Equal(ClerkEmulatorOptions.DemoPrivateKey, (string?)body["private_key"]);
        }

        Assert.All(host.Logs.GetSnapshot(), r => Assert.DoesNotContain(ClerkEmulatorOptions.DemoPrivateKey, r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TrackReturnAsync_PrivateKey_IsAddedWhenSentAndNeverStoredInTheOutbox()
    {
        var outbox = new RecordingOutbox();
        await using var host = await StartAsync(services: s => outbox.Register(s));

        await host.Tracker.TrackReturnAsync(101, "NG-RETURN", 1, Ct);
        await host.Logs.WaitForEventAsync(31, "the return delivered");

        var row = Assert.Single(outbox.Added);
        Assert.Equal("log/returned", row.Endpoint);
        Assert.DoesNotContain("private_key", row.Body, StringComparison.Ordinal);
        var sent = Assert.Single(_clerk.Bodies("log/returned"));
        Assert.Equal(ClerkEmulatorOptions.DemoPrivateKey, (string?)sent["private_key"]);
        Assert.True(Assert.Single(Emulator.GetCalls("log/returned")).Succeeded);
    }

    [Fact]
    public async Task OutboxWorker_OldReturnRowWithAPrivateKey_IsSentWithTheCurrentKey()
    {
        await using var host = await StartAsync();
        var outbox = host.Services.GetRequiredService<IClerkOutbox>();

        // A row written by an earlier version, which stored the key.
        await outbox.AddAsync(new ClerkOutboxMessage
        {
            Id = Guid.NewGuid(),
            Store = ClerkEmulatorOptions.DemoPublicKey,
            Kind = "return",
            Endpoint = "log/returned",
            Body = $$"""{"key":"{{ClerkEmulatorOptions.DemoPublicKey}}","private_key":"rotated-away","product":101,"order":"NG-OLD","quantity":1}""",
            OrderId = "NG-OLD",
            CreatedAt = _time.GetUtcNow(),
        }, Ct);
        host.Services.GetRequiredService<OutboxSignal>().Notify();
        await host.Logs.WaitForEventAsync(31, "the old return delivered");

        Assert.Equal(ClerkEmulatorOptions.DemoPrivateKey, (string?)Assert.Single(_clerk.Bodies("log/returned"))["private_key"]);
    }

    [Fact]
    public async Task ProductsChanged_PriceChangeWhileClerkFailsTheFirstTries_ReachesTheEmulatorWithTheNewPrice()
    {
        _catalog.Set(7, 10m);
        await using var host = await StartAsync();
        using var retried = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.retried");
        Emulator.InjectFault("product/add", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 2);

        _catalog.Set(7, 12.5m);   // the shop saves a new price, then tells sync
        await Sync(host).ProductsChangedAsync([7], Ct);
        _time.Advance(SyncDelay);
        for (var retry = 1; retry <= 2; retry++)
        {
            await _time.DelayStartedAsync(retry, d => d <= MaxRetryDelay);
            _time.Advance(MaxRetryDelay);
        }

        await host.Logs.WaitForEventAsync(83, "the price change sent");
        await WorkerFinishedEarlierMessagesAsync(host);

        var calls = Emulator.GetCalls("product/add");
        Assert.Equal(3, calls.Count);
        Assert.All(calls.Take(2), c => Assert.Equal("InternalError", c.ErrorType));
        var product = Assert.Single(JsonNode.Parse(calls[2].Arguments.GetRawText())!["products"]!.AsArray())!;
        Assert.Equal(7, (int)product["id"]!);
        Assert.Equal(12.5m, (decimal)product["price"]!);
        Assert.Equal([500, 500, 200], _clerk.Calls.Where(c => c.Endpoint == "product/add").Select(c => c.Status));
        Assert.Equal(2, retried.GetMeasurementSnapshot().Count(m => (string?)m.Tags["clerk.event"] == "product"));
        var status = await StatusAsync(host);
        Assert.Equal(0, status.Pending);
        Assert.Equal(0, status.Failed);
    }

    [Fact]
    public async Task ProductsChanged_RejectedByClerk_IsFailedRedrivableAndTheHealthCheckDegraded()
    {
        _clerk = new ClerkCallRecorder(endpoint => endpoint == "product/add" ? ClerkCallRecorder.Refused("AuthenticationError", "Invalid private key.") : null);
        _catalog.Set(1, 10m);
        await using var host = await StartAsync(services: s => s.AddHealthChecks().AddClerk());

        await Sync(host).ProductsChangedAsync([1], Ct);
        _time.Advance(SyncDelay);
        var rejected = await host.Logs.WaitForEventAsync(34, "the rejection");
        await WorkerFinishedEarlierMessagesAsync(host);

        Assert.Contains("product", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid private key.", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await StatusAsync(host)).Failed);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        Assert.Equal(HealthStatus.Degraded, report.Entries["clerk"].Status);
        Assert.Equal(1, await host.Services.GetRequiredService<IClerkOutbox>().RedriveFailedAsync(ClerkEmulatorOptions.DemoPublicKey, Ct));

        // Re-driven, the change is due again: the next time the worker leases (woken here by a return tracked after
        // the redrive) it sends it, and Clerk, still refusing it, fails it again.
        await host.Tracker.TrackReturnAsync(101, "NG-WAKE", 1, Ct);
        await host.Logs.WaitForAsync(r => r.Id.Id == 34, "the re-driven change sent again", 2);
    }

    [Fact]
    public async Task ProductsChanged_InARequestWithAForgedHost_NeverTakesTheRequestsAddress()
    {
        // A checkout that changes stock carries whatever Host its client sent: that must not become the links Clerk
        // shows. The address comes from Clerk:Feeds:BaseUrl or from the feed requests Clerk's importer made.
        _catalog.Set(1, 10m, url: "/products/1");
        await using var host = await StartAsync(endpoint: async context =>
            await context.RequestServices.GetRequiredService<IClerkCatalogSync>().ProductsChangedAsync([1], context.RequestAborted));
        host.Services.GetRequiredService<FeedBaseAddress>().Remember(new Uri("https://feeds.shop.example/"));

        using var response = await host.RequestAsync(null, ("Host", "evil.example"));
        response.EnsureSuccessStatusCode();
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog change sent");

        var product = Assert.Single(Assert.Single(_clerk.Bodies("product/add"))["products"]!.AsArray())!;
        Assert.Equal("https://feeds.shop.example/products/1", (string?)product["url"]);
    }

    [Fact]
    public async Task OutboxWorker_CatalogChangeOnAnInstanceWithoutFeeds_LeavesItForOneThatHasThem()
    {
        await using var host = await StartAsync(feeds: false);
        var outbox = host.Services.GetRequiredService<IClerkOutbox>();
        var now = _time.GetUtcNow();
        await outbox.AddAsync(new ClerkOutboxMessage
        {
            Id = Guid.NewGuid(),
            Store = ClerkEmulatorOptions.DemoPublicKey,
            Kind = "product",
            Endpoint = "product/add",
            Body = """{"products":[1],"seq":1}""",
            CreatedAt = now,
            DueAt = now,
        }, Ct);

        _time.Advance(PollInterval);
        var warning = await host.Logs.WaitForEventAsync(47, "the unhandled kind put back");
        await WorkerFinishedEarlierMessagesAsync(host);

        Assert.Contains("AddClerkFeeds", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_clerk.Calls, c => c.Endpoint.StartsWith("product/", StringComparison.Ordinal));
        var status = await StatusAsync(host);
        Assert.Equal(1, status.Pending);
        Assert.Equal(0, status.Failed);
    }

    [Fact]
    public async Task ProductsChanged_FeedsBaseUrlSet_WinsOverTheRequestsAddress()
    {
        _catalog.Set(1, 10m, url: "/products/1");
        await using var host = await StartAsync(o => o.Feeds.BaseUrl = new Uri("https://www.shop.example/"));

        await Sync(host).ProductsChangedAsync([1], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog change sent");

        var product = Assert.Single(Assert.Single(_clerk.Bodies("product/add"))["products"]!.AsArray())!;
        Assert.Equal("https://www.shop.example/products/1", (string?)product["url"]);
    }

    [Fact]
    public async Task ProductsChanged_OutsideARequestAfterAFeedPage_MakesRelativeUrlsAbsoluteWithTheFeedRequestsAddress()
    {
        _catalog.Set(1, 10m, url: "/products/1");
        await using var host = await StartAsync();
        host.Services.GetRequiredService<FeedBaseAddress>().Remember(new Uri("https://feeds.shop.example/"));

        await Sync(host).ProductsChangedAsync([1], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the catalog change sent");

        var product = Assert.Single(Assert.Single(_clerk.Bodies("product/add"))["products"]!.AsArray())!;
        Assert.Equal("https://feeds.shop.example/products/1", (string?)product["url"]);
        Assert.DoesNotContain(host.Logs.ClerkRecords(), r => r.Id.Id == 87);
    }

    [Fact]
    public async Task ProductsChanged_NoAddressKnownAtAll_WarnsOnceHowToSetTheBaseUrl()
    {
        _catalog.Set(1, 10m, url: "/products/1");
        _catalog.Set(2, 20m, url: "/products/2");
        await using var host = await StartAsync();

        await Sync(host).ProductsChangedAsync([1], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the first change sent");
        await Sync(host).ProductsChangedAsync([2], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForAsync(r => r.Id.Id == 83, "the second change sent", 2);

        var warning = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 87);
        Assert.Contains("Clerk:Feeds:BaseUrl", warning.Message, StringComparison.Ordinal);
        Assert.All(_clerk.Bodies("product/add"), body => Assert.Null(body["products"]![0]!["url"]));
    }

    [Fact]
    public async Task ProductsChanged_ProductThatCannotBeWritten_IsLeftOutLoggedAndNotRemoved()
    {
        _catalog.Set(1, 10m);
        _catalog.Set(new ClerkFeedProduct { Id = 2, Name = "Bad", Fields = new Dictionary<string, object?> { ["price"] = 1 } });
        await using var host = await StartAsync();

        await Sync(host).ProductsChangedAsync([1, 2], Ct);
        _time.Advance(SyncDelay);
        var invalid = await host.Logs.WaitForEventAsync(84, "the product that cannot be written");
        await host.Logs.WaitForEventAsync(83, "the catalog changes sent");

        Assert.Contains("'price'", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(["1"], Assert.Single(_clerk.ProductIds("product/add")));
        Assert.Empty(_clerk.ProductIds("product/remove"));
    }

    [Fact]
    public async Task ProductsChanged_SourceReturnsAnIdOfTheOtherType_WarnsAndNeverRemovesTheProduct()
    {
        _catalog.Extra.Add(new ClerkFeedProduct { Id = "5", Name = "Five as text", Price = 5m });
        await using var host = await StartAsync();

        await Sync(host).ProductsChangedAsync([5], Ct);
        _time.Advance(SyncDelay);
        var unexpected = await host.Logs.WaitForEventAsync(85, "the warning about the ID");
        await host.Logs.WaitForEventAsync(83, "the catalog change sent");

        // A type slip (5 asked, "5" returned) is reported; taking it for a deletion would take the product from Clerk.
        Assert.Equal(LogLevel.Warning, unexpected.Level);
        Assert.Empty(_clerk.ProductIds("product/add"));
        Assert.Empty(_clerk.ProductIds("product/remove"));
    }

    [Fact]
    public async Task Sale_DueWithCatalogChanges_IsStillSentAloneExactlyOnce()
    {
        _catalog.Set(1, 10m);
        await using var host = await StartAsync();

        await Sync(host).ProductsChangedAsync([1], Ct);
        _time.Advance(SyncDelay);
        await host.Tracker.TrackSaleAsync(Clerk.AspNetCore.Tests.Delivery.ClerkTrackerTests.Sale("NG-SYNC-SALE"), Ct);
        await host.Logs.WaitForEventAsync(83, "the catalog change sent");
        await host.Logs.WaitForAsync(r => r.Id.Id == 31 && r.Message.Contains("sale", StringComparison.Ordinal), "the sale delivered");

        var sale = Assert.Single(Emulator.GetCalls("log/sale"));
        Assert.True(sale.Succeeded);
        Assert.Single(Emulator.GetSales(), s => s.SaleId == "NG-SYNC-SALE");
        Assert.Single(_clerk.ProductIds("product/add"));
    }

    [Fact]
    public async Task ProductsChanged_EmptyList_QueuesNothing()
    {
        var outbox = new RecordingOutbox();
        await using var host = await StartAsync(services: s => outbox.Register(s));

        await Sync(host).ProductsChangedAsync([], Ct);
        await Sync(host).ProductsRemovedAsync([], Ct);

        Assert.Empty(outbox.Added);
        Assert.DoesNotContain(host.Logs.ClerkRecords(), r => r.Id.Id == 80);
    }

    [Fact]
    public async Task ProductsChanged_InvalidIds_ThrowArgumentExceptionAndQueueNothing()
    {
        var outbox = new RecordingOutbox();
        await using var host = await StartAsync(services: s => outbox.Register(s));

        var empty = await Assert.ThrowsAsync<ArgumentException>(async () => await Sync(host).ProductsChangedAsync([1, default], Ct));
        var mixed = await Assert.ThrowsAsync<ArgumentException>(async () => await Sync(host).ProductsRemovedAsync([1, "2"], Ct));

        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("mix integers and strings", mixed.Message, StringComparison.Ordinal);
        Assert.Empty(outbox.Added);
    }

    [Fact]
    public async Task ProductsChanged_NoProductSourceInDevelopment_ThrowsSayingHowToRegisterOne()
    {
        await using var host = await StartAsync(environment: "Development", source: false);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () => await Sync(host).ProductsChangedAsync([1], Ct));

        Assert.Contains("AddProducts", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await StatusAsync(host)).Pending);
    }

    [Fact]
    public async Task ProductsChanged_NoProductSourceInProduction_LogsAndQueuesNothingButRemovalsStillWork()
    {
        await using var host = await StartAsync(source: false);
        using var failed = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.failed");

        await Sync(host).ProductsChangedAsync([1], Ct);
        await Sync(host).ProductsRemovedAsync([2], Ct);
        _time.Advance(SyncDelay);
        await host.Logs.WaitForEventAsync(83, "the removal sent");

        var noSource = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 82);
        Assert.Equal(LogLevel.Error, noSource.Level);
        Assert.Equal("product", Assert.Single(failed.GetMeasurementSnapshot()).Tags["clerk.event"]);
        Assert.Empty(_clerk.ProductIds("product/add"));
        Assert.Equal(["2"], Assert.Single(_clerk.ProductIds("product/remove")));
    }

    [Fact]
    public async Task ProductsChanged_OutboxThrowsInProduction_LogsCountsAndReturns()
    {
        await using var host = await StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IClerkOutbox, ThrowingOutbox>()));
        using var failures = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.tracking.failures");

        await Sync(host).ProductsChangedAsync([1, 2], Ct);

        var notQueued = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 81);
        Assert.Equal(LogLevel.Error, notQueued.Level);
        Assert.IsType<InvalidOperationException>(notQueued.Exception);
        Assert.Contains("2 changed products", notQueued.Message, StringComparison.Ordinal);
        Assert.Contains(failures.GetMeasurementSnapshot(), m => (string?)m.Tags["clerk.stage"] == "outbox");
    }

    [Fact]
    public async Task ProductsChanged_OutboxThrowsInDevelopment_Throws()
    {
        await using var host = await StartAsync(environment: "Development", services: s => s.Replace(ServiceDescriptor.Singleton<IClerkOutbox, ThrowingOutbox>()));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Sync(host).ProductsChangedAsync([1], Ct));
    }

    [Fact]
    public async Task ProductsChanged_NoPrivateKeyInProduction_LogsAndQueuesNothing()
    {
        var outbox = new RecordingOutbox();
        await using var host = await StartAsync(o => o.PrivateKey = null, services: s => outbox.Register(s));

        await Sync(host).ProductsChangedAsync([1], Ct);

        Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 86);
        Assert.Empty(outbox.Added);
    }

    [Fact]
    public void NotifyAt_BurstOfMessages_MovesTheWakeToTheLastDueButNotPastTheFirstsLimit()
    {
        var signal = new OutboxSignal();
        var start = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

        signal.NotifyAt(start.AddMilliseconds(500), start.AddMilliseconds(2500));
        signal.NotifyAt(start.AddMilliseconds(700), start.AddMilliseconds(2700));
        var pushed = signal.ScheduledWake;
        signal.NotifyAt(start.AddMilliseconds(600), start.AddMilliseconds(2600));
        var earlier = signal.ScheduledWake;
        signal.NotifyAt(start.AddMilliseconds(4000), start.AddMilliseconds(6000));
        var capped = signal.ScheduledWake;
        signal.Leased(start.AddMilliseconds(2500));

        Assert.Equal(start.AddMilliseconds(700), pushed);
        Assert.Equal(start.AddMilliseconds(700), earlier);
        Assert.Equal(start.AddMilliseconds(2500), capped);
        Assert.Null(signal.ScheduledWake);
    }

    /// <summary>The in-memory outbox, recording every message written to it (as stored).</summary>
    private sealed class RecordingOutbox
    {
        private readonly List<ClerkOutboxMessage> _added = [];

        public IReadOnlyList<ClerkOutboxMessage> Added
        {
            get
            {
                lock (_added)
                {
                    return [.. _added];
                }
            }
        }

        public void Register(IServiceCollection services)
        {
            services.TryAddSingleton<InMemoryClerkOutbox>();
            services.Replace(ServiceDescriptor.Singleton<IClerkOutbox>(sp => new Outbox(sp.GetRequiredService<InMemoryClerkOutbox>(), this)));
        }

        private sealed class Outbox(IClerkOutbox inner, RecordingOutbox record) : ForwardingOutbox(inner)
        {
            public override ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default)
            {
                lock (record._added)
                {
                    record._added.Add(message);
                }

                return Inner.AddAsync(message, cancellationToken);
            }
        }
    }

    /// <summary>An outbox whose database is down.</summary>
    private sealed class ThrowingOutbox : IClerkOutbox
    {
        public ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The database is down.");

        public ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(string store, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ClerkOutboxMessage>>([]);

        public ValueTask MarkSentAsync(IReadOnlyCollection<ClerkOutboxMessage> messages, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask RescheduleAsync(ClerkOutboxMessage message, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask MarkFailedAsync(ClerkOutboxMessage message, string error, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<int> RedriveFailedAsync(string store, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

        public ValueTask<ClerkOutboxStatus> GetStatusAsync(string store, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ClerkOutboxStatus(0, 0, null));

        public ValueTask<ClerkOutboxErasure> ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) => ValueTask.FromResult(ClerkOutboxErasure.None);

        public ValueTask<IReadOnlyList<ClerkOutboxMessage>> FindAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ClerkOutboxMessage>>([]);
    }
}
