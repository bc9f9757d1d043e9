using Clerk.AspNetCore.Testing;
using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>
/// A full queue: clicks are dropped and counted; sales go to the outbox and never wait. A full in-memory outbox refuses
/// a sale, which is logged with its payload. No worker runs here.
/// </summary>
public sealed class DeliveryQueueTests
{
    private static IHost BuildHost(int capacity) =>
        new HostBuilder()
            .UseEnvironment("Production")
            .ConfigureServices(s => s.AddClerk(o =>
            {
                o.PublicKey = "test-public-key";
                o.SaleTracking = ClerkSaleTracking.ServerSide;
                o.Delivery.QueueCapacity = capacity;
            }))
            .Build(); // not started: nothing drains the queue

    [Fact]
    public void TrackClick_QueueFull_DropsAndCountsTheRest()
    {
        using var host = BuildHost(capacity: 2);
        using var dropped = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.dropped");
        var tracker = host.Services.GetRequiredService<IClerkTracker>();

        for (var i = 0; i < 5; i++)
        {
            tracker.TrackClick(100 + i, ["Home - New"], visitor: ClerkVisitor.Of("V1"));
        }

        Assert.Equal(2, host.Services.GetRequiredService<DeliveryQueue>().Count);
        Assert.Equal(3, dropped.GetMeasurementSnapshot().Count);
        Assert.All(dropped.GetMeasurementSnapshot(), m => Assert.Equal("queue_full", m.Tags["clerk.reason"]));
    }

    [Fact]
    public async Task TrackSaleAsync_ClickQueueFull_QueuesEverySaleInTheOutboxWithoutWaiting()
    {
        using var host = BuildHost(capacity: 2);
        var tracker = host.Services.GetRequiredService<IClerkTracker>();
        var ct = TestContext.Current.CancellationToken;

        // Clicks fill their lane; sales never wait for room in it, or anywhere.
        tracker.TrackClick(101, ["Home - New"]);
        tracker.TrackClick(102, ["Home - New"]);
        for (var i = 1; i <= 3; i++)
        {
            var tracking = tracker.TrackSaleAsync(ClerkTrackerTests.Sale($"NG-{i}"), ct);
            Assert.True(tracking.IsCompleted, "tracking a sale must never wait");
            Assert.Equal(ClerkSaleTrackingResult.Queued, await tracking);
        }

        var outbox = host.Services.GetRequiredService<IClerkOutbox>();
        var leased = await outbox.LeaseAsync("test-public-key", 10, TimeSpan.FromMinutes(1), ct);
        Assert.Equal(["NG-1", "NG-2", "NG-3"], leased.Select(m => m.OrderId));
        Assert.All(leased, m => Assert.Equal("sale", m.Kind));
        Assert.All(leased, m => Assert.Equal("log/sale", m.Endpoint));
        Assert.Equal(2, host.Services.GetRequiredService<DeliveryQueue>().Count);
    }

    [Fact]
    public async Task TrackSaleAsync_InMemoryOutboxFull_ReturnsNotQueuedReleasesTheOrderAndLogsThePayload()
    {
        using var host = new HostBuilder()
            .UseEnvironment("Production")
            .ConfigureLogging(l => l.ClearProviders().AddFakeLogging().SetMinimumLevel(LogLevel.Debug))
            .ConfigureServices(s =>
            {
                s.AddClerk(o =>
                {
                    o.PublicKey = "test-public-key";
                    o.SaleTracking = ClerkSaleTracking.ServerSide;
                });
                s.AddSingleton<IClerkOutbox>(sp => new InMemoryClerkOutbox(
                    TimeProvider.System, sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<ILogger<InMemoryClerkOutbox>>(), capacity: 1));
            })
            .Build();
        var tracker = host.Services.GetRequiredService<IClerkTracker>();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ClerkSaleTrackingResult.Queued, await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-1"), ct));

        var result = await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-2"), ct);

        Assert.Equal(ClerkSaleTrackingResult.NotQueued, result);
        var logs = host.Services.GetFakeLogCollector();
        var givenUp = Assert.Single(logs.ClerkRecords(), e => e.Id.Id == 35);
        Assert.Contains("NG-2", givenUp.Message, StringComparison.Ordinal);
        Assert.Contains("in-memory outbox holds 1", givenUp.Message, StringComparison.Ordinal);
        Assert.Contains("\"sale\":\"NG-2\"", Assert.Single(logs.ClerkRecords(), e => e.Id.Id == 42).Message, StringComparison.Ordinal);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, "NG-2", ct));
    }

    [Fact]
    public async Task TrackSaleAsync_CancelledToken_StillQueuesTheSale()
    {
        using var host = BuildHost(capacity: 10);
        var tracker = host.Services.GetRequiredService<IClerkTracker>();

        var result = await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-GONE"), new CancellationToken(canceled: true));

        Assert.Equal(ClerkSaleTrackingResult.Queued, result);
        var status = await host.Services.GetRequiredService<IClerkOutbox>().GetStatusAsync("test-public-key", TestContext.Current.CancellationToken);
        Assert.Equal(1, status.Pending);
    }
}
