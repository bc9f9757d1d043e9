using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>
/// Retries under Clerk's faults, exactly one sale per order, give-up, shutdown flush and a restarted worker: sales
/// through the outbox and <see cref="OutboxWorker"/>, clicks through <see cref="DeliveryWorker"/>. Time is a fake clock
/// the test advances once the worker is provably waiting on it; nothing here sleeps or polls.
/// </summary>
public sealed class DeliveryWorkerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string[] HomeNew = ["Home - New"];
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(200);

    // Longer than any retry delay, so the outbox worker's idle waits are told apart from its back-offs.
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(5);

    private readonly SteppedTimeProvider _time = new();
    private readonly ClerkWire _wire = new();

    private ClerkEmulatorState Emulator => fixture.Emulator.State;

    private Task<ServerSideHost> StartAsync(Action<ClerkOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        fixture.Reset();
        return ServerSideHost.StartAsync(
            fixture.Emulator,
            o =>
            {
                o.SaleTracking = ClerkSaleTracking.ServerSide;
                o.Delivery.MaxRetryDelay = MaxRetryDelay;
                o.Delivery.OutboxPollInterval = PollInterval;
                configure?.Invoke(o);
            },
            services: services,
            time: _time,
            wire: _wire);
    }

    /// <summary>Lets <paramref name="retries"/> back-offs run out, each once the worker has started it.</summary>
    private async Task RunOutRetryDelaysAsync(int retries, TimeSpan? step = null)
    {
        for (var i = 1; i <= retries; i++)
        {
            await RetryDelayStartedAsync(i);
            _time.Advance(step ?? MaxRetryDelay);
        }
    }

    /// <summary>Waits until the <paramref name="count"/>th retry back-off (not an idle poll) has started; returns its length.</summary>
    private Task<TimeSpan> RetryDelayStartedAsync(int count) => _time.DelayStartedAsync(count, d => d < PollInterval);

    private IEnumerable<TimeSpan> RetryDelays => _time.Delays.Where(d => d < PollInterval);

    private async Task AssertExactlyOneSaleAsync(ServerSideHost host, string orderId)
    {
        await host.Logs.WaitForAsync(r => r.Id.Id == 31 && r.Message.Contains("sale", StringComparison.Ordinal), $"sale {orderId} delivered");
        var report = Emulator.GetSale(orderId);
        Assert.NotNull(report);
        Assert.Empty(report.Duplicates);
        Assert.Single(Emulator.GetSales(), s => s.SaleId == orderId);
    }

    /// <summary>
    /// A return tracked now is leased only once the outbox worker has finished the batch it is in (sends, and the
    /// failure and release of an order), so its delivery proves that the earlier sale's failure is complete.
    /// </summary>
    private static async Task WorkerFinishedWithEarlierSalesAsync(ServerSideHost host)
    {
        var delivered = host.Logs.ClerkRecords().Count(r => r.Id.Id == 31);
        await host.Tracker.TrackReturnAsync(101, "NG-MARKER", 1, TestContext.Current.CancellationToken);
        await host.Logs.WaitForEventAsync(31, "the marker return delivered", delivered + 1);
    }

    [Fact]
    public async Task Sale_ThreeServerErrors_IsRetriedAndDeliveredExactlyOnce()
    {
        await using var host = await StartAsync();
        using var retried = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.retried");
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 3);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-500"), TestContext.Current.CancellationToken);
        await RunOutRetryDelaysAsync(3);

        await AssertExactlyOneSaleAsync(host, "NG-500");
        Assert.Equal(4, Emulator.GetCalls("log/sale").Count);
        Assert.Equal(3, retried.GetMeasurementSnapshot().Count);
        Assert.All(retried.GetMeasurementSnapshot(), m => Assert.Equal("sale", m.Tags["clerk.event"]));
        Assert.Equal(3, host.Logs.ClerkRecords().Count(e => e.Id.Id == 32));
        Assert.All(RetryDelays, d => Assert.InRange(d, TimeSpan.Zero, MaxRetryDelay));
    }

    [Fact]
    public async Task Sale_TooManyRequests_WaitsAsRetryAfterSaysThenDeliversOnce()
    {
        await using var host = await StartAsync(o => o.Delivery.MaxRetryDelay = TimeSpan.FromSeconds(5));
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.TooManyRequests, RetryAfter: TimeSpan.FromSeconds(1)), times: 1);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-429"), TestContext.Current.CancellationToken);

        Assert.Equal(TimeSpan.FromSeconds(1), await RetryDelayStartedAsync(1));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, _wire.Sent("log/sale"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await AssertExactlyOneSaleAsync(host, "NG-429");
        var retry = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 32);
        Assert.Equal(LogLevel.Information, retry.Level);
        Assert.Contains("again in 1000 ms", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sale_ClerkTimesOutTwice_IsDeliveredExactlyOnce()
    {
        await using var host = await StartAsync(o => o.ApiTimeout = TimeSpan.FromMilliseconds(300));
        _wire.Silence("log/sale", times: 2);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-SLOW"), TestContext.Current.CancellationToken);
        for (var i = 1; i <= 2; i++)
        {
            // The call's timeout is set before it leaves: once it has left, the timeout is there to run out.
            await _wire.SentAsync("log/sale", i);
            _time.Advance(TimeSpan.FromMilliseconds(299));
            Assert.Equal(i - 1, _wire.Answered("log/sale"));
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await RetryDelayStartedAsync(i);
            _time.Advance(MaxRetryDelay);
        }

        await AssertExactlyOneSaleAsync(host, "NG-SLOW");
        Assert.Equal(2, host.Logs.ClerkRecords().Count(e => e.Id.Id == 32 && e.Message.Contains("ApiTimeout", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sale_ConnectionDropped_IsRetriedAndDeliveredOnce()
    {
        await using var host = await StartAsync();
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.DropConnection), times: 2);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-DROP"), TestContext.Current.CancellationToken);
        await RunOutRetryDelaysAsync(2);

        await AssertExactlyOneSaleAsync(host, "NG-DROP");
    }

    [Fact]
    public async Task Sale_RejectedByClerk_IsNotRetriedIsLoggedWithClerksMessageAndReleased()
    {
        await using var host = await StartAsync(o => o.Delivery.MaxConcurrency = 1);
        var sale = new ClerkSale("NG-STR", [new ClerkSaleLine("101", 10m, 1)]) { Customer = "CUST-777" };

        await host.Tracker.TrackSaleAsync(sale, TestContext.Current.CancellationToken);

        var rejected = await host.Logs.WaitForEventAsync(34, "the rejection");
        Assert.Equal(LogLevel.Error, rejected.Level);
        Assert.Contains("Invalid Syntax In Argument: products", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("NG-STR", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("1 lines", rejected.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CUST-777", rejected.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"products\"", rejected.Message, StringComparison.Ordinal);
        var payload = await host.Logs.WaitForEventAsync(42, "the rejected sale's payload at Debug");
        Assert.Equal(LogLevel.Debug, payload.Level);
        Assert.Contains("\"customer\":\"CUST-777\"", payload.Message, StringComparison.Ordinal);
        Assert.Contains("\"sale\":\"NG-STR\"", payload.Message, StringComparison.Ordinal);
        await WorkerFinishedWithEarlierSalesAsync(host);
        Assert.Single(Emulator.GetCalls("log/sale"));
        Assert.Empty(RetryDelays);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, "NG-STR", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Sale_FailingPastGiveUpAge_IsLoggedWithItsPayloadWithoutKeysAndReleased()
    {
        await using var host = await StartAsync(o =>
        {
            o.Delivery.SaleGiveUpAfter = TimeSpan.FromMilliseconds(300);
            o.Delivery.MaxConcurrency = 1;
        });
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-GIVEUP", "buyer@example.com"), TestContext.Current.CancellationToken);

        // Tries at 0, 200 and 400 ms: the third fails past the give-up age of 300 ms.
        await RunOutRetryDelaysAsync(2);
        var givenUp = await host.Logs.WaitForEventAsync(35, "the give-up");
        Assert.Equal(LogLevel.Error, givenUp.Level);
        Assert.Equal(3, Emulator.GetCalls("log/sale").Count);
        Assert.Contains("NG-GIVEUP", givenUp.Message, StringComparison.Ordinal);
        Assert.Contains("1 lines", givenUp.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"products\"", givenUp.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.com", givenUp.Message, StringComparison.Ordinal);
        var payload = await host.Logs.WaitForEventAsync(42, "the given-up sale's payload at Debug");
        Assert.Equal(LogLevel.Debug, payload.Level);
        Assert.Contains("\"sale\":\"NG-GIVEUP\"", payload.Message, StringComparison.Ordinal);
        Assert.Contains("\"products\":[{\"id\":101,\"price\":499.95,\"quantity\":2}]", payload.Message, StringComparison.Ordinal);
        Assert.Contains("b***@example.com", payload.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("buyer@example.com", payload.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ClerkEmulatorOptions.DemoPublicKey, payload.Message, StringComparison.Ordinal);
        await WorkerFinishedWithEarlierSalesAsync(host);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, "NG-GIVEUP", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Click_FailingEveryTry_IsDroppedAndCountedAfterMaxEventAttempts()
    {
        await using var host = await StartAsync(o => o.Delivery.MaxEventAttempts = 2);
        using var dropped = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.dropped");
        Emulator.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));

        host.Tracker.TrackClick(101, HomeNew);
        await RunOutRetryDelaysAsync(1);

        await dropped.WaitForMeasurementsAsync(1, Guard.SafetyTimeout);
        var measurement = Assert.Single(dropped.GetMeasurementSnapshot());
        Assert.Equal("retries_exhausted", measurement.Tags["clerk.reason"]);
        Assert.Equal("click", measurement.Tags["clerk.event"]);
        Assert.Equal(2, Emulator.GetCalls("log/click").Count);
    }

    [Fact]
    public async Task Stop_EventsStillQueued_AreFlushedBeforeTheHostStops()
    {
        var host = await StartAsync(o => o.Delivery.MaxConcurrency = 1);
        await using var _ = host;
        var slowClick = _wire.Hold("log/click");
        var slowSale = _wire.Hold("log/sale");

        for (var i = 0; i < 10; i++)
        {
            host.Tracker.TrackClick(101, HomeNew);
        }

        for (var i = 0; i < 3; i++)
        {
            await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale($"NG-FLUSH-{i}"), TestContext.Current.CancellationToken);
        }

        // Each worker's only sender is held, so clicks and sales are still waiting when the host is told to stop.
        await _wire.SentAsync("log/click", 1);
        await _wire.SentAsync("log/sale", 1);
        Assert.True(host.Services.GetRequiredService<DeliveryQueue>().Count > 0, "the test needs clicks still queued when the host stops");
        Assert.Equal(3, (await PendingAsync(host)).Pending);
        var stopping = host.StopAsync();
        slowClick.SetResult();
        slowSale.SetResult();
        await Guard.Within(stopping, "the host to stop");

        Assert.Equal(10, Emulator.GetCalls("log/click").Count(c => c.Succeeded));
        Assert.Equal(3, Emulator.GetSales().Count);
        Assert.Equal(0, host.Services.GetRequiredService<DeliveryQueue>().Count);
        Assert.Equal(0, (await PendingAsync(host)).Pending);
        Assert.DoesNotContain(host.Logs.ClerkRecords(), e => e.Id.Id == 36);
    }

    [Fact]
    public async Task Stop_SaleStillBeingRetried_StaysAndIsLoggedWithItsPayload()
    {
        var host = await StartAsync();
        await using var _ = host;
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));
        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-STOP"), TestContext.Current.CancellationToken);
        await RetryDelayStartedAsync(1);
        var worker = host.Services.GetServices<IHostedService>().OfType<OutboxWorker>().Single();

        // A retry is a later due time in the outbox, not a sender waiting: the worker stops at once and leaves it.
        await Guard.Within(worker.StopAsync(CancellationToken.None), "the worker to stop");

        var lost = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 36);
        Assert.Equal(LogLevel.Error, lost.Level);
        Assert.Contains("NG-STOP", lost.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"products\"", lost.Message, StringComparison.Ordinal);
        var payload = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 42);
        Assert.Equal(LogLevel.Debug, payload.Level);
        Assert.Contains("\"sale\":\"NG-STOP\"", payload.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.GetSales());
        Assert.Equal(1, (await PendingAsync(host)).Pending);
    }

    [Fact]
    public async Task Sale_WorkerRestartedMidSend_IsDeliveredExactlyOnce()
    {
        await using var host = await StartAsync(o =>
        {
            o.ApiTimeout = TimeSpan.FromSeconds(30);
            o.Delivery.MaxConcurrency = 1;
        });
        var ct = TestContext.Current.CancellationToken;
        _wire.Silence("log/sale", times: 1);
        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-RESTART"), ct);
        var worker = host.Services.GetServices<IHostedService>().OfType<OutboxWorker>().Single();
        await _wire.SentAsync("log/sale", 1);

        // The worker stops while Clerk has not answered; the shutdown timeout runs out: the send is abandoned and the
        // sale stays in the outbox, due again at once.
        using (var shutdown = new CancellationTokenSource())
        {
            var stopping = worker.StopAsync(shutdown.Token);
            await shutdown.CancelAsync();
            await Guard.Within(stopping, "the worker to stop");
        }

        Assert.Equal(1, (await PendingAsync(host)).Pending);
        Assert.Empty(Emulator.GetSales());

        var restarted = ActivatorUtilities.CreateInstance<OutboxWorker>(host.Services);
        await restarted.StartAsync(ct);
        try
        {
            await AssertExactlyOneSaleAsync(host, "NG-RESTART");
            Assert.Equal(ClerkSaleTrackingResult.AlreadySent, await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-RESTART"), ct));

            // Nothing more can go out: nothing is pending and the worker's one send is done.
            await WorkerFinishedWithEarlierSalesAsync(host);
            Assert.Equal(0, (await PendingAsync(host)).Pending);
            Assert.Equal(2, _wire.Answered("log/sale"));
            Assert.Single(Emulator.GetSales());
        }
        finally
        {
            await restarted.StopAsync(CancellationToken.None);
            restarted.Dispose();
        }
    }

    [Fact]
    public async Task Sale_RetryAfterZero_WaitsAtLeastTheFirstRetryDelay()
    {
        await using var host = await StartAsync(o => o.Delivery.FirstRetryDelay = TimeSpan.FromMilliseconds(50));
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.TooManyRequests, RetryAfter: TimeSpan.Zero), times: 1);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-RA0"), TestContext.Current.CancellationToken);

        Assert.Equal(TimeSpan.FromMilliseconds(50), await RetryDelayStartedAsync(1));
        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Equal(1, _wire.Sent("log/sale"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await AssertExactlyOneSaleAsync(host, "NG-RA0");
        var retry = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 32);
        Assert.Contains("again in 50 ms", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sale_AppHandlerThrowsItsOwnException_IsRetriedNotGivenUp()
    {
        var failures = 2;
        await using var host = await StartAsync(services: s => s.AddHttpClient(ClerkOptions.HttpClientName)
            .AddHttpMessageHandler(() => new FailingHandler(() => Interlocked.Decrement(ref failures) >= 0)));

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-CB"), TestContext.Current.CancellationToken);
        await RunOutRetryDelaysAsync(2);

        await AssertExactlyOneSaleAsync(host, "NG-CB");
        Assert.DoesNotContain(host.Logs.ClerkRecords(), e => e.Id.Id == 35);
        Assert.Equal(2, host.Logs.ClerkRecords().Count(e => e.Id.Id == 32 && e.Message.Contains("The circuit is open.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sales_MaxConcurrencyFailingForever_DoNotStopAnotherSaleOrClicks()
    {
        await using var host = await StartAsync(
            o => o.Delivery.MaxConcurrency = 4,
            s => s.AddHttpClient(ClerkOptions.HttpClientName).AddHttpMessageHandler(() => new OrderRefusingHandler("NG-FAILING-")));
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 4; i++)
        {
            await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale($"NG-FAILING-{i}"), ct);
        }

        // Every one of them failed and waits for its retry; the clock never moves, so no retry is due.
        await host.Logs.WaitForEventAsync(32, "the four failing sales rescheduled", count: 4);
        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-FIFTH"), ct);
        host.Tracker.TrackClick(101, HomeNew);

        await host.Logs.WaitForAsync(r => r.Id.Id == 31 && r.Message.Contains("sale", StringComparison.Ordinal), "the fifth sale delivered");
        await host.Logs.WaitForAsync(r => r.Id.Id == 31 && r.Message.Contains("click", StringComparison.Ordinal), "the click delivered");
        Assert.Equal("NG-FIFTH", Assert.Single(Emulator.GetSales()).SaleId);
        Assert.Equal(4, (await PendingAsync(host)).Pending);
    }

    [Fact]
    public async Task Worker_OutboxThrowsOnLease_LogsCountsBacksOffAndGoesOn()
    {
        FlakyOutbox? flaky = null;
        await using var host = await StartAsync(services: s => s.AddSingleton<IClerkOutbox>(sp =>
            flaky = new FlakyOutbox(ActivatorUtilities.CreateInstance<InMemoryClerkOutbox>(sp))));
        using var failures = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.tracking.failures");

        // Only now, with the counter listening: the worker's first lease, at start, may come before it.
        flaky!.FailNextLeases(2);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-DB-DOWN"), TestContext.Current.CancellationToken);
        for (var i = 1; i <= 2; i++)
        {
            var failed = await host.Logs.WaitForEventAsync(45, $"outbox failure #{i}", i);
            Assert.Equal(LogLevel.Error, failed.Level);
            Assert.Contains("lease due messages", failed.Message, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromMinutes(1), await _time.DelayStartedAsync(i, d => d == TimeSpan.FromMinutes(1)));
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        await AssertExactlyOneSaleAsync(host, "NG-DB-DOWN");
        Assert.Equal(2, failures.GetMeasurementSnapshot().Count(m => (string?)m.Tags["clerk.stage"] == "outbox"));
    }

    private static ValueTask<ClerkOutboxStatus> PendingAsync(ServerSideHost host) =>
        host.Services.GetRequiredService<IClerkOutbox>().GetStatusAsync(ClerkEmulatorOptions.DemoPublicKey, TestContext.Current.CancellationToken);

    [Fact]
    public async Task TrackSaleAsync_AfterTheWorkerStopped_LogsThePayloadAndReleasesTheOrder()
    {
        var host = await StartAsync();
        await using var _ = host;
        await host.StopAsync();

        var result = await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-LATE"), TestContext.Current.CancellationToken);

        Assert.Equal(ClerkSaleTrackingResult.NotQueued, result);
        var entry = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 35);
        Assert.Contains("NG-LATE", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"products\"", entry.Message, StringComparison.Ordinal);
        var payload = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 42);
        Assert.Contains("\"sale\":\"NG-LATE\"", payload.Message, StringComparison.Ordinal);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, "NG-LATE", TestContext.Current.CancellationToken));
    }

    /// <summary>Refuses (a dropped connection) every call whose body names an order starting with <paramref name="orderPrefix"/>.</summary>
    private sealed class OrderRefusingHandler(string orderPrefix) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            return body.Contains($"\"sale\":\"{orderPrefix}", StringComparison.Ordinal)
                ? throw new HttpRequestException("The connection was dropped.")
                : await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>An outbox whose database is down for the next leases, once <see cref="FailNextLeases"/> says how many.</summary>
    private sealed class FlakyOutbox(IClerkOutbox inner) : ForwardingOutbox(inner)
    {
        private int _leaseFailures;

        public void FailNextLeases(int count) => Volatile.Write(ref _leaseFailures, count);

        public override ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(string store, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref _leaseFailures) >= 0
                ? throw new InvalidOperationException("The database is down.")
                : Inner.LeaseAsync(store, maxCount, leaseDuration, cancellationToken);
    }

    /// <summary>An app's handler (a circuit breaker, say) that refuses calls while <paramref name="refuse"/> says so.</summary>
    private sealed class FailingHandler(Func<bool> refuse) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            refuse() ? throw new InvalidOperationException("The circuit is open.") : base.SendAsync(request, cancellationToken);
    }
}
