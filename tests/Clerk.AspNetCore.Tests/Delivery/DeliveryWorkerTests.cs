using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>Retries under Clerk's faults, exactly one sale per order, give-up, shutdown flush and a restarted worker.</summary>
public sealed class DeliveryWorkerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string[] HomeNew = ["Home - New"];

    private ClerkEmulatorState Emulator => fixture.Emulator.State;

    private Task<ServerSideHost> StartAsync(Action<ClerkOptions>? configure = null, TimeSpan? shutdownTimeout = null)
    {
        fixture.Reset();
        return ServerSideHost.StartAsync(
            fixture.Emulator,
            o =>
            {
                o.SaleTracking = ClerkSaleTracking.ServerSide;
                configure?.Invoke(o);
            },
            shutdownTimeout: shutdownTimeout);
    }

    private async Task AssertExactlyOneSaleAsync(string orderId)
    {
        var report = await Eventually.GetAsync(() => Emulator.GetSale(orderId), $"sale {orderId}");
        Assert.Empty(report.Duplicates);
        Assert.Single(Emulator.GetSales(), s => s.SaleId == orderId);
    }

    [Fact]
    public async Task Sale_ThreeServerErrors_IsRetriedAndDeliveredExactlyOnce()
    {
        await using var host = await StartAsync();
        using var retried = new MeasurementRecorder(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.retried");
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 3);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-500"), TestContext.Current.CancellationToken);

        await AssertExactlyOneSaleAsync("NG-500");
        Assert.Equal(4, Emulator.GetCalls("log/sale").Count);
        Assert.Equal(3, retried.Measurements.Count);
        Assert.Equal(3, host.Logs.ClerkEntries.Count(e => e.EventId.Id == 32));
    }

    [Fact]
    public async Task Sale_TooManyRequests_WaitsAsRetryAfterSaysThenDeliversOnce()
    {
        await using var host = await StartAsync(o => o.Delivery.MaxRetryDelay = TimeSpan.FromSeconds(5));
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.TooManyRequests, RetryAfter: TimeSpan.FromSeconds(1)), times: 1);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-429"), TestContext.Current.CancellationToken);

        await AssertExactlyOneSaleAsync("NG-429");
        var retry = Assert.Single(host.Logs.ClerkEntries, e => e.EventId.Id == 32);
        Assert.Contains("again in 1000 ms", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sale_ClerkTimesOutTwice_IsDeliveredExactlyOnce()
    {
        await using var host = await StartAsync(o => o.ApiTimeout = TimeSpan.FromMilliseconds(300));
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.Delay, Delay: TimeSpan.FromSeconds(10)), times: 2);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-SLOW"), TestContext.Current.CancellationToken);

        await AssertExactlyOneSaleAsync("NG-SLOW");
        Assert.Equal(2, host.Logs.ClerkEntries.Count(e => e.EventId.Id == 32 && e.Message.Contains("ApiTimeout", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sale_ConnectionDropped_IsRetriedAndDeliveredOnce()
    {
        await using var host = await StartAsync();
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.DropConnection), times: 2);

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-DROP"), TestContext.Current.CancellationToken);

        await AssertExactlyOneSaleAsync("NG-DROP");
    }

    [Fact]
    public async Task Sale_RejectedByClerk_IsNotRetriedIsLoggedWithClerksMessageAndReleased()
    {
        await using var host = await StartAsync();
        var sale = new ClerkSale("NG-STR", [new ClerkSaleLine("101", 10m, 1)]);

        await host.Tracker.TrackSaleAsync(sale, TestContext.Current.CancellationToken);

        var rejected = await Eventually.GetAsync(() => host.Logs.ClerkEntries.FirstOrDefault(e => e.EventId.Id == 34), "the rejection");
        Assert.Equal(LogLevel.Error, rejected.Level);
        Assert.Contains("Invalid Syntax In Argument: products", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("NG-STR", rejected.Message, StringComparison.Ordinal);
        Assert.Single(Emulator.GetCalls("log/sale"));
        await Eventually.TrueAsync(
            () => host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync("NG-STR").AsTask().Result,
            "the order to be released");
    }

    [Fact]
    public async Task Sale_FailingPastGiveUpAge_IsLoggedWithItsPayloadWithoutKeysAndReleased()
    {
        await using var host = await StartAsync(o => o.Delivery.SaleGiveUpAfter = TimeSpan.FromMilliseconds(300));
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-GIVEUP", "buyer@example.com"), TestContext.Current.CancellationToken);

        var givenUp = await Eventually.GetAsync(() => host.Logs.ClerkEntries.FirstOrDefault(e => e.EventId.Id == 35), "the give-up");
        Assert.Equal(LogLevel.Error, givenUp.Level);
        Assert.Contains("\"sale\":\"NG-GIVEUP\"", givenUp.Message, StringComparison.Ordinal);
        Assert.Contains("\"products\":[{\"id\":101,\"price\":499.95,\"quantity\":2}]", givenUp.Message, StringComparison.Ordinal);
        Assert.Contains("b***@example.com", givenUp.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("buyer@example.com", givenUp.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ClerkEmulatorOptions.DemoPublicKey, givenUp.Message, StringComparison.Ordinal);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync("NG-GIVEUP", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Click_FailingEveryTry_IsDroppedAndCountedAfterMaxEventAttempts()
    {
        await using var host = await StartAsync(o => o.Delivery.MaxEventAttempts = 2);
        using var dropped = new MeasurementRecorder(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.dropped");
        Emulator.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));

        host.Tracker.TrackClick(101, HomeNew);

        await Eventually.TrueAsync(() => dropped.Measurements.Count == 1, "the click to be dropped");
        Assert.Equal("retries_exhausted", dropped.Measurements[0].Tags["clerk.reason"]);
        Assert.Equal(2, Emulator.GetCalls("log/click").Count);
    }

    [Fact]
    public async Task Stop_EventsStillQueued_AreFlushedBeforeTheHostStops()
    {
        var host = await StartAsync(o => o.Delivery.MaxConcurrency = 1);
        await using var _ = host;
        Emulator.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.Delay, Delay: TimeSpan.FromMilliseconds(300)), times: 1);

        for (var i = 0; i < 10; i++)
        {
            host.Tracker.TrackClick(101, HomeNew);
        }

        for (var i = 0; i < 3; i++)
        {
            await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale($"NG-FLUSH-{i}"), TestContext.Current.CancellationToken);
        }

        Assert.True(host.Services.GetRequiredService<DeliveryQueue>().Count > 0, "the test needs events still queued when the host stops");
        await host.StopAsync();

        Assert.Equal(10, Emulator.GetCalls("log/click").Count(c => c.Succeeded));
        Assert.Equal(3, Emulator.GetSales().Count);
        Assert.Equal(0, host.Services.GetRequiredService<DeliveryQueue>().Count);
    }

    [Fact]
    public async Task Stop_SaleUndeliverableWithinShutdownTimeout_IsLoggedWithItsPayload()
    {
        var host = await StartAsync(shutdownTimeout: TimeSpan.FromMilliseconds(500));
        await using var _ = host;
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));
        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-STOP"), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => Emulator.GetCalls("log/sale").Count > 0, "a first try");

        await host.StopAsync();

        var lost = Assert.Single(host.Logs.ClerkEntries, e => e.EventId.Id == 36);
        Assert.Equal(LogLevel.Error, lost.Level);
        Assert.Contains("\"sale\":\"NG-STOP\"", lost.Message, StringComparison.Ordinal);
        Assert.Empty(Emulator.GetSales());
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
        Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.Delay, Delay: TimeSpan.FromSeconds(30)), times: 1);
        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-RESTART"), ct);
        var worker = host.Services.GetServices<IHostedService>().OfType<DeliveryWorker>().Single();
        await Eventually.TrueAsync(() => host.Services.GetRequiredService<DeliveryQueue>().Count == 0, "the worker to take the sale");

        // The worker stops while Clerk has not answered: the send is abandoned and the sale stays queued.
        using (var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await worker.StopAsync(shutdown.Token);
        }

        Assert.Equal(1, host.Services.GetRequiredService<DeliveryQueue>().Count);
        Assert.Empty(Emulator.GetSales());

        var restarted = ActivatorUtilities.CreateInstance<DeliveryWorker>(host.Services);
        await restarted.StartAsync(ct);
        try
        {
            await AssertExactlyOneSaleAsync("NG-RESTART");
            Assert.Equal(ClerkSaleTrackingResult.AlreadySent, await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-RESTART"), ct));
            await Task.Delay(200, ct);
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

        await AssertExactlyOneSaleAsync("NG-RA0");
        var retry = Assert.Single(host.Logs.ClerkEntries, e => e.EventId.Id == 32);
        Assert.Contains("again in 50 ms", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sale_AppHandlerThrowsItsOwnException_IsRetriedNotGivenUp()
    {
        fixture.Reset();
        var failures = 2;
        await using var host = await ServerSideHost.StartAsync(
            fixture.Emulator,
            o => o.SaleTracking = ClerkSaleTracking.ServerSide,
            services: s => s.AddHttpClient(ClerkOptions.HttpClientName).AddHttpMessageHandler(() => new FailingHandler(() => Interlocked.Decrement(ref failures) >= 0)));

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-CB"), TestContext.Current.CancellationToken);

        await AssertExactlyOneSaleAsync("NG-CB");
        Assert.DoesNotContain(host.Logs.ClerkEntries, e => e.EventId.Id == 35);
    }

    [Fact]
    public async Task TrackSaleAsync_AfterTheWorkerStopped_LogsThePayloadAndReleasesTheOrder()
    {
        var host = await StartAsync();
        await using var _ = host;
        await host.StopAsync();

        var result = await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-LATE"), TestContext.Current.CancellationToken);

        Assert.Equal(ClerkSaleTrackingResult.NotQueued, result);
        var entry = Assert.Single(host.Logs.ClerkEntries, e => e.EventId.Id == 35);
        Assert.Contains("\"sale\":\"NG-LATE\"", entry.Message, StringComparison.Ordinal);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync("NG-LATE", TestContext.Current.CancellationToken));
    }

    /// <summary>An app's handler (a circuit breaker, say) that refuses calls while <paramref name="refuse"/> says so.</summary>
    private sealed class FailingHandler(Func<bool> refuse) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            refuse() ? throw new InvalidOperationException("The circuit is open.") : base.SendAsync(request, cancellationToken);
    }
}
