using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>A full queue: clicks are dropped and counted, sales wait for room and are all kept. No worker runs here.</summary>
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
    public async Task TrackSaleAsync_QueueFull_WaitsForRoomAndKeepsEverySale()
    {
        using var host = BuildHost(capacity: 2);
        var tracker = host.Services.GetRequiredService<IClerkTracker>();
        var queue = host.Services.GetRequiredService<DeliveryQueue>();
        var ct = TestContext.Current.CancellationToken;

        // Clicks fill their own lane; sales have theirs and never lose their place to clicks.
        tracker.TrackClick(101, ["Home - New"]);
        tracker.TrackClick(102, ["Home - New"]);
        Assert.Equal(ClerkSaleTrackingResult.Queued, await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-1"), ct));
        Assert.Equal(ClerkSaleTrackingResult.Queued, await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-2"), ct));

        // The in-memory ledger answers at once, so the call runs on this thread up to the first thing it waits for:
        // it has claimed the order (so it is past the ledger) and is waiting for room in the full lane.
        var third = tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-3"), ct).AsTask();
        Assert.False(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync("NG-3", ct), "the order is claimed before it waits");
        Assert.False(third.IsCompleted, "a sale must wait for room, not be dropped");
        Assert.Equal(4, queue.Count);

        var first = await queue.ReadAsync(ct);
        Assert.Equal("NG-1", first.OrderId);
        Assert.Equal(ClerkSaleTrackingResult.Queued, await third.WaitAsync(TimeSpan.FromSeconds(10), ct));

        var rest = new List<DeliveryEvent>();
        while (queue.TryRead(out var item))
        {
            rest.Add(item);
        }

        Assert.Equal(["NG-2", "NG-3", null, null], rest.Select(e => e.OrderId));
    }

    [Fact]
    public async Task TrackSaleAsync_CallerGivesUpWaiting_ReleasesTheOrderAndLogsThePayload()
    {
        using var host = BuildHost(capacity: 1);
        var tracker = host.Services.GetRequiredService<IClerkTracker>();
        var ct = TestContext.Current.CancellationToken;
        await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-1"), ct);
        var time = new FakeTimeProvider();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100), time);

        var second = tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-2"), timeout.Token).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(second.IsCompleted, "the caller is still waiting for room");
        time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Guard.Within(second, "the caller to give up"));

        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync("NG-2", ct));
    }

    [Fact]
    public async Task TrackSaleAsync_CancelledTokenButRoomInTheQueue_StillQueuesTheSale()
    {
        using var host = BuildHost(capacity: 10);
        var tracker = host.Services.GetRequiredService<IClerkTracker>();

        var result = await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-GONE"), new CancellationToken(canceled: true));

        Assert.Equal(ClerkSaleTrackingResult.Queued, result);
        Assert.Equal(1, host.Services.GetRequiredService<DeliveryQueue>().Count);
    }
}
