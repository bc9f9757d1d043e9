using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>
/// A shared sale ledger that is down, seen from the server side: the tracker and the worker go on, and say so with
/// their own event (41), not with the visitor-tracking event (8) whose message promises a request going on.
/// </summary>
public sealed class SaleLedgerFailureTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ClerkEmulatorState Emulator => fixture.Emulator.State;

    [Fact]
    public async Task TrackSaleAsync_LedgerCannotClaim_LogsSaleLedgerFailedAndStillSendsTheSale()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(
            fixture.Emulator,
            o => o.SaleTracking = ClerkSaleTracking.ServerSide,
            services: s => s.AddSingleton<IClerkSaleLedger>(new BrokenLedger(claim: true, release: false)));
        using var failures = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.tracking.failures");

        var result = await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-LEDGER-CLAIM"), TestContext.Current.CancellationToken);

        Assert.Equal(ClerkSaleTrackingResult.Queued, result);
        var failure = Assert.Single(host.Logs.ClerkRecords(), e => e.Level >= LogLevel.Warning);
        Assert.Equal(41, failure.Id.Id);
        Assert.Equal("SaleLedgerFailed", failure.Id.Name);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.IsType<TimeoutException>(failure.Exception);
        Assert.Contains("claim order NG-LEDGER-CLAIM", failure.Message, StringComparison.Ordinal);
        Assert.Contains("sent anyway", failure.Message, StringComparison.Ordinal);
        var counted = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal("sale_ledger", counted.Tags["clerk.stage"]);
        await host.Logs.WaitForEventAsync(31, "the sale delivered");
        Assert.NotNull(Emulator.GetSale("NG-LEDGER-CLAIM"));
    }

    [Fact]
    public async Task Worker_RejectedSaleWhoseLedgerCannotRelease_LogsSaleLedgerFailed()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(
            fixture.Emulator,
            o => o.SaleTracking = ClerkSaleTracking.ServerSide,
            services: s => s.AddSingleton<IClerkSaleLedger>(new BrokenLedger(claim: false, release: true)));

        // Clerk rejects a sale whose product IDs have another JSON type than the catalog's: not sent, so released.
        await host.Tracker.TrackSaleAsync(new ClerkSale("NG-LEDGER-RELEASE", [new ClerkSaleLine("101", 10m, 1)]), TestContext.Current.CancellationToken);

        var failure = await host.Logs.WaitForEventAsync(41, "the ledger failure");
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains("release order NG-LEDGER-RELEASE", failure.Message, StringComparison.Ordinal);
        Assert.Contains("stays claimed", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.ClerkRecords(), e => e.Id.Id == 8);
    }

    private sealed class BrokenLedger(bool claim, bool release) : IClerkSaleLedger
    {
        public ValueTask<bool> TryClaimAsync(string store, string orderId, CancellationToken cancellationToken = default) =>
            claim ? throw new TimeoutException("ledger down") : ValueTask.FromResult(true);

        public ValueTask ReleaseAsync(string store, string orderId, CancellationToken cancellationToken = default) =>
            release ? throw new TimeoutException("ledger down") : ValueTask.CompletedTask;
    }
}
