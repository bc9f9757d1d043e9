using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>
/// A shop with two Clerk stores (issue 19), <c>en</c> and <c>da</c>, whose requests choose theirs by a header: the
/// outbox worker sends each sale and return with its own store's keys, one store's failing backlog does not hold the
/// other, a store that is not configured is never sent with another's keys, the health check and the metrics name each
/// store (never by a key), and the keyed tracker of a store writes to that store. Clerk is a recorder that answers
/// every call itself; the clock is fake and never moves unless a test says so, so nothing sleeps.
/// </summary>
public sealed class MultiStoreDeliveryTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string EnKey = "pk-en-0001";
    private const string EnPrivate = "sk-en-0001";
    private const string DaKey = "pk-da-0002";
    private const string DaPrivate = "sk-da-0002";
    private const string RemovedKey = "pk-removed-0003";

    private static readonly string[] Keys = [EnKey, EnPrivate, DaKey, DaPrivate, RemovedKey];

    private readonly SteppedTimeProvider _time = new();
    private readonly RecordingClerk _clerk = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ServerSideHost> StartAsync(Action<ClerkOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        fixture.Reset();
        return ServerSideHost.StartAsync(
            fixture.Emulator,
            o =>
            {
                o.PublicKey = null;
                o.PrivateKey = null;
                o.Stores["en"] = new ClerkStoreOptions { PublicKey = EnKey, PrivateKey = EnPrivate };
                o.Stores["da"] = new ClerkStoreOptions { PublicKey = DaKey, PrivateKey = DaPrivate };
                o.DefaultStore = "en";
                o.SaleTracking = ClerkSaleTracking.ServerSide;
                o.Delivery.OutboxPollInterval = DeliveryWorkerTests.PollInterval;
                o.Delivery.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
                configure?.Invoke(o);
            },
            endpoint: TrackInRequestAsync,
            services: s =>
            {
                s.AddSingleton<IClerkStoreSelector, HeaderStoreSelector>();
                s.AddHttpClient(ClerkOptions.HttpClientName).AddHttpMessageHandler(() => new RecordingHandler(_clerk));
                s.AddHealthChecks().AddClerk();
                services?.Invoke(s);
            },
            time: _time);
    }

    /// <summary>The shop's endpoint: tracks the sale (or, with <c>X-Return</c>, a return) of the order in <c>X-Order</c>.</summary>
    private static async Task TrackInRequestAsync(HttpContext context)
    {
        var tracker = context.RequestServices.GetRequiredService<IClerkTracker>();
        var order = context.Request.Headers["X-Order"].ToString();
        if (context.Request.Headers.ContainsKey("X-Return"))
        {
            await tracker.TrackReturnAsync(101, order, 1, context.RequestAborted);
        }
        else
        {
            var result = await tracker.TrackSaleAsync(ClerkTrackerTests.Sale(order), context.RequestAborted);
            context.Response.Headers["X-Result"] = result.ToString();
        }
    }

    private static async Task SaleInRequestAsync(ServerSideHost host, string store, string order, bool isReturn = false)
    {
        var headers = new List<(string, string)> { ("X-Store", store), ("X-Order", order) };
        if (isReturn)
        {
            headers.Add(("X-Return", "1"));
        }

        using var response = await host.RequestAsync(null, [.. headers]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task DeliveredAsync(ServerSideHost host, int count) =>
        host.Logs.WaitForEventAsync(31, $"{count} deliveries", count);

    [Fact]
    public async Task OutboxWorker_SalesAndAReturnOfTwoStores_AreEachSentWithTheirOwnStoresKeys()
    {
        await using var host = await StartAsync();

        await SaleInRequestAsync(host, "da", "DA-1");
        await SaleInRequestAsync(host, "en", "EN-1");
        await SaleInRequestAsync(host, "da", "DA-1", isReturn: true);
        await DeliveredAsync(host, 3);

        var daSale = _clerk.Single(ClerkEndpoints.LogSale, "DA-1");
        var enSale = _clerk.Single(ClerkEndpoints.LogSale, "EN-1");
        var daReturn = Assert.Single(_clerk.Calls(ClerkEndpoints.LogReturned));
        Assert.Equal(DaKey, (string?)daSale["key"]);
        Assert.Equal(EnKey, (string?)enSale["key"]);
        Assert.Equal(DaKey, (string?)daReturn["key"]);
        Assert.Equal(DaPrivate, (string?)daReturn["private_key"]);
        Assert.False(daSale.ContainsKey("private_key"));
        Assert.False(enSale.ContainsKey("private_key"));

        // Each claim is its store's: the order DA-1 is claimed for da, not for en.
        var ledger = host.Services.GetRequiredService<IClerkSaleLedger>();
        Assert.False(await ledger.TryClaimAsync(DaKey, "DA-1", Ct));
        Assert.True(await ledger.TryClaimAsync(EnKey, "DA-1", Ct));
    }

    [Fact]
    public async Task OutboxWorker_OneStoresBacklogFailing_DoesNotHoldTheOtherStore()
    {
        _clerk.FailKey(EnKey);
        await using var host = await StartAsync(o =>
        {
            o.Delivery.OutboxBatchSize = 2;
            o.Delivery.MaxConcurrency = 1;
        });

        // More failing en sales than a lease holds, all due at once (the clock never moves, so none is due again).
        var outbox = host.Services.GetRequiredService<IClerkOutbox>();
        for (var i = 0; i < 6; i++)
        {
            await SaleInRequestAsync(host, "en", $"EN-FAILING-{i}");
        }

        await SaleInRequestAsync(host, "da", "DA-OK");

        await host.Logs.WaitForAsync(r => r.Id.Id == 31 && r.Message.Contains("sale", StringComparison.Ordinal), "the da sale delivered");
        Assert.Equal(DaKey, (string?)_clerk.Single(ClerkEndpoints.LogSale, "DA-OK")["key"]);
        Assert.Equal(6, (await outbox.GetStatusAsync(EnKey, Ct)).Pending);
        Assert.All(_clerk.Calls(ClerkEndpoints.LogSale).Where(c => ((string?)c["sale"])!.StartsWith("EN-", StringComparison.Ordinal)),
            c => Assert.Equal(EnKey, (string?)c["key"]));
    }

    [Fact]
    public async Task OutboxWorker_MessageOfAStoreNoLongerConfigured_IsLeftAloneNotSentWithAnotherStoresKeys()
    {
        await using var host = await StartAsync();
        var outbox = host.Services.GetRequiredService<IClerkOutbox>();
        await outbox.AddAsync(Removed("GONE-1"), Ct);

        await SaleInRequestAsync(host, "en", "EN-2");
        await SaleInRequestAsync(host, "da", "DA-2");
        await DeliveredAsync(host, 2);

        Assert.DoesNotContain(_clerk.All, c => c.ToJsonString().Contains("GONE-1", StringComparison.Ordinal));
        var left = Assert.Single(await outbox.LeaseAsync(RemovedKey, 10, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal("GONE-1", left.OrderId);
        Assert.Equal(0, left.Attempts);
        Assert.Null(left.LastError);
    }

    [Fact]
    public async Task OutboxWorker_OutboxHandsOutAnotherStoresMessage_DoesNotSendItAndLogsEvent89Once()
    {
        await using var host = await StartAsync(services: s => s.AddSingleton<IClerkOutbox>(sp =>
            new LeakingOutbox(ActivatorUtilities.CreateInstance<InMemoryClerkOutbox>(sp), RemovedKey)));
        var outbox = host.Services.GetRequiredService<IClerkOutbox>();
        await outbox.AddAsync(Removed("GONE-1"), Ct);
        await outbox.AddAsync(Removed("GONE-2"), Ct);

        await SaleInRequestAsync(host, "da", "DA-3");
        await DeliveredAsync(host, 1);
        var warning = await host.Logs.WaitForEventAsync(89, "the other store's messages left alone");

        Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 89);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("a store this app does not configure", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_clerk.All, c => c.ToJsonString().Contains("GONE-", StringComparison.Ordinal));
        Assert.All(Keys, key => Assert.DoesNotContain(key, warning.Message, StringComparison.Ordinal));
        Assert.Equal(2, (await outbox.GetStatusAsync(RemovedKey, Ct)).Pending);
    }

    [Fact]
    public async Task HealthCheck_TwoStores_ReportsEachStoresKeysAndOutboxByName()
    {
        _clerk.RejectKeysOf(DaKey);
        _clerk.RejectSale("DA-REJECTED");
        await using var host = await StartAsync();
        await SaleInRequestAsync(host, "da", "DA-REJECTED");
        await host.Logs.WaitForEventAsync(34, "the da sale rejected");

        // Leased only once the worker is done with the rejected sale's lease (marked failed): its delivery proves it.
        await SaleInRequestAsync(host, "da", "DA-MARKER");
        await DeliveredAsync(host, 1);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        var entry = report.Entries["clerk"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("da, en", entry.Data["stores"]);
        Assert.Equal("valid", entry.Data["en.keys"]);
        Assert.Equal("invalid or unchecked", entry.Data["da.keys"]);
        Assert.Equal(0, entry.Data["en.pending"]);
        Assert.Equal(0, entry.Data["en.failed"]);
        Assert.True(entry.Data.ContainsKey("da.pending"));
        Assert.Equal(1, entry.Data["da.failed"]);
        Assert.Equal(1, entry.Data["outbox_failed"]);
        Assert.Contains("Store 'da': Clerk rejects the API keys", entry.Description, StringComparison.Ordinal);
        Assert.Contains("Clerk:Stores:da:PrivateKey", entry.Description, StringComparison.Ordinal);
        Assert.Contains("Store 'da': 1 Clerk sales or returns failed for good", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("Store 'en'", entry.Description, StringComparison.Ordinal);
        Assert.False(entry.Data.ContainsKey("keys"));
        Assert.All(Keys, key =>
        {
            Assert.DoesNotContain(key, entry.Description, StringComparison.Ordinal);
            Assert.DoesNotContain(entry.Data, d => d.Key.Contains(key, StringComparison.Ordinal) || d.Value.ToString()!.Contains(key, StringComparison.Ordinal));
        });

        // Each store's keys were checked with that store's own keys.
        var checks = _clerk.Calls(ClerkEndpoints.AccountInfo);
        Assert.Equal(2, checks.Count);
        Assert.Contains(checks, c => (string?)c["key"] == EnKey && (string?)c["private_key"] == EnPrivate);
        Assert.Contains(checks, c => (string?)c["key"] == DaKey && (string?)c["private_key"] == DaPrivate);
    }

    [Fact]
    public async Task Metrics_SalesOfTwoStores_CarryTheStoresNameAndNeverAKey()
    {
        await using var host = await StartAsync();
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var enqueued = new MetricCollector<long>(meters, ClerkMetrics.MeterName, "clerk.delivery.enqueued");
        using var sent = new MetricCollector<long>(meters, ClerkMetrics.MeterName, "clerk.delivery.sent");
        using var latency = new MetricCollector<double>(meters, ClerkMetrics.MeterName, "clerk.delivery.latency");

        await SaleInRequestAsync(host, "en", "EN-M");
        await SaleInRequestAsync(host, "da", "DA-M");
        await DeliveredAsync(host, 2);

        foreach (var collector in new[] { enqueued.GetMeasurementSnapshot().Select(m => m.Tags), sent.GetMeasurementSnapshot().Select(m => m.Tags), latency.GetMeasurementSnapshot().Select(m => m.Tags) })
        {
            var tags = collector.ToList();
            Assert.Equal(["da", "en"], tags.Select(t => (string?)t[ClerkMetrics.StoreTag]).Order());
            Assert.All(tags, t => Assert.DoesNotContain(t.Values, v => Keys.Contains(v as string)));
        }
    }

    [Fact]
    public async Task KeyedTracker_OfOneStore_ClaimsQueuesAndSendsForThatStoreOutsideARequest()
    {
        await using var host = await StartAsync();
        var da = host.Services.GetRequiredKeyedService<IClerkTracker>("da");

        var result = await da.TrackSaleAsync(ClerkTrackerTests.Sale("BG-1"), Ct);
        da.TrackClick(101, ["Home - New"]);
        await DeliveredAsync(host, 2);

        Assert.Equal(ClerkSaleTrackingResult.Queued, result);
        Assert.Same(da, host.Services.GetRequiredKeyedService<IClerkTracker>("da"));
        Assert.Equal(DaKey, (string?)_clerk.Single(ClerkEndpoints.LogSale, "BG-1")["key"]);
        Assert.Equal(DaKey, (string?)Assert.Single(_clerk.Calls(ClerkEndpoints.LogClick))["key"]);
        var ledger = host.Services.GetRequiredService<IClerkSaleLedger>();
        Assert.False(await ledger.TryClaimAsync(DaKey, "BG-1", Ct));
        Assert.True(await ledger.TryClaimAsync(EnKey, "BG-1", Ct));

        // The default tracker, outside a request, is the default store's.
        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("BG-2"), Ct);
        await DeliveredAsync(host, 3);
        Assert.Equal(EnKey, (string?)_clerk.Single(ClerkEndpoints.LogSale, "BG-2")["key"]);
    }

    [Fact]
    public async Task KeyedTracker_UnknownStore_ThrowsListingTheStores()
    {
        await using var host = await StartAsync();

        var exception = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredKeyedService<IClerkTracker>("fr"));

        Assert.Contains("'fr'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("da, en", exception.Message, StringComparison.Ordinal);
    }

    private ClerkOutboxMessage Removed(string orderId) => new()
    {
        Id = Guid.NewGuid(),
        Store = RemovedKey,
        Kind = "sale",
        Endpoint = ClerkEndpoints.LogSale,
        Body = $$"""{"key":"{{RemovedKey}}","sale":"{{orderId}}","products":[{"id":101,"price":10,"quantity":1}]}""",
        OrderId = orderId,
        CreatedAt = _time.GetUtcNow(),
        DueAt = _time.GetUtcNow(),
    };

    /// <summary>Chooses the request's store by its <c>X-Store</c> header.</summary>
    private sealed class HeaderStoreSelector : IClerkStoreSelector
    {
        public string? SelectStore(HttpContext context) =>
            context.Request.Headers.TryGetValue("X-Store", out var store) ? store.ToString() : null;
    }

    /// <summary>An outbox that ignores the store it is asked for: it hands out <paramref name="other"/>'s messages too.</summary>
    private sealed class LeakingOutbox(IClerkOutbox inner, string other) : ForwardingOutbox(inner)
    {
        public override async ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(string store, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
            [.. await Inner.LeaseAsync(other, maxCount, leaseDuration, cancellationToken), .. await Inner.LeaseAsync(store, maxCount, leaseDuration, cancellationToken)];
    }

    /// <summary>Clerk as these tests need it: every call recorded with its body; answers by the body's key.</summary>
    private sealed class RecordingClerk
    {
        private readonly ConcurrentQueue<(string Endpoint, JsonObject Body)> _calls = new();
        private readonly ConcurrentDictionary<string, byte> _failing = new();
        private readonly ConcurrentDictionary<string, byte> _rejectedKeys = new();
        private readonly ConcurrentDictionary<string, byte> _rejectedSales = new();

        public IEnumerable<JsonObject> All => _calls.Select(c => c.Body);

        /// <summary>Calls with this public key fail as a dropped connection (transient).</summary>
        public void FailKey(string key) => _failing[key] = 0;

        /// <summary>The account check with this public key is refused: AuthenticationError.</summary>
        public void RejectKeysOf(string key) => _rejectedKeys[key] = 0;

        /// <summary>This order's sale is refused for good: LogicalError.</summary>
        public void RejectSale(string orderId) => _rejectedSales[orderId] = 0;

        public List<JsonObject> Calls(string endpoint) => [.. _calls.Where(c => c.Endpoint == endpoint).Select(c => c.Body)];

        public JsonObject Single(string endpoint, string orderId) =>
            Assert.Single(Calls(endpoint), c => (string?)c["sale"] == orderId);

        public HttpResponseMessage Answer(string endpoint, JsonObject body)
        {
            _calls.Enqueue((endpoint, body));
            var key = (string?)body["key"] ?? "";
            if (_failing.ContainsKey(key))
            {
                throw new HttpRequestException("The connection was dropped.");
            }

            if (endpoint == ClerkEndpoints.AccountInfo && _rejectedKeys.ContainsKey(key))
            {
                return Json("""{"status":"error","type":"AuthenticationError","message":"Invalid API key."}""");
            }

            if (endpoint == ClerkEndpoints.LogSale && _rejectedSales.ContainsKey((string?)body["sale"] ?? ""))
            {
                return Json("""{"status":"error","type":"LogicalError","message":"The sale is wrong."}""");
            }

            return Json("""{"status":"ok"}""");
        }

        private static HttpResponseMessage Json(string json) =>
            new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }

    private sealed class RecordingHandler(RecordingClerk clerk) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var endpoint = path[(path.IndexOf("/v2/", StringComparison.Ordinal) + 4)..];
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            return clerk.Answer(endpoint, body);
        }
    }
}
