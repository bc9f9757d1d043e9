using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>
/// The delivery instruments of <see cref="ClerkMetrics"/>, read with <see cref="MetricCollector{T}"/>: what is queued,
/// sent, waiting, suppressed, and how long an event took from tracking to Clerk on a fake clock.
/// </summary>
public sealed class DeliveryMetricsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string[] HomeNew = ["Home - New"];

    private readonly SteppedTimeProvider _time = new();
    private readonly ClerkWire _wire = new();

    private Task<ServerSideHost> StartAsync(Action<ClerkOptions>? configure = null)
    {
        fixture.Reset();
        return ServerSideHost.StartAsync(
            fixture.Emulator,
            o =>
            {
                o.SaleTracking = ClerkSaleTracking.ServerSide;
                o.Delivery.OutboxPollInterval = DeliveryWorkerTests.PollInterval;
                configure?.Invoke(o);
            },
            time: _time,
            wire: _wire);
    }

    /// <summary>A host whose worker is not started: what is queued stays queued.</summary>
    private static IHost BuildHostWithoutWorker() =>
        new HostBuilder()
            .UseEnvironment("Production")
            .ConfigureServices(s => s.AddClerk(o =>
            {
                o.PublicKey = "test-public-key";
                o.PrivateKey = "test-private-key";
                o.SaleTracking = ClerkSaleTracking.ServerSide;
            }))
            .Build();

    private static MetricCollector<T> Collect<T>(IServiceProvider services, string instrument)
        where T : struct =>
        new(services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, instrument);

    [Fact]
    public void Latency_Instrument_AdvisesBucketsInSecondsFromFiftyMillisecondsToHoursOfRetries()
    {
        using var host = BuildHostWithoutWorker();
        using var latency = Collect<double>(host.Services, "clerk.delivery.latency");
        host.Services.GetRequiredService<ClerkMetrics>();

        var histogram = Assert.IsType<Histogram<double>>(latency.Instrument);
        var buckets = histogram.Advice?.HistogramBucketBoundaries;

        Assert.NotNull(buckets);
        Assert.Equal("s", histogram.Unit);
        Assert.Equal(0.05, buckets[0]);
        Assert.Contains(1.0, buckets);
        Assert.Contains(60.0, buckets);
        Assert.Contains(3600.0, buckets);
        Assert.Equal(buckets.Order(), buckets);
    }

    [Fact]
    public void MeterName_IsThePublicConstantAndTheActivitySourcesName()
    {
        Assert.Equal(ClerkDiagnostics.MeterName, ClerkMetrics.MeterName);
        Assert.Equal(ClerkDiagnostics.MeterName, ClerkDiagnostics.ActivitySourceName);
        Assert.Equal("Clerk.AspNetCore", ClerkDiagnostics.MeterName);
    }

    [Fact]
    public async Task Latency_SaleHeldOnTheWayToClerk_RecordsTheClocksAdvanceInSeconds()
    {
        await using var host = await StartAsync();
        using var latency = Collect<double>(host.Services, "clerk.delivery.latency");
        using var sent = Collect<long>(host.Services, "clerk.delivery.sent");
        var clerkAnswers = _wire.Hold("log/sale");

        await host.Tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-LAT"), TestContext.Current.CancellationToken);
        await _wire.SentAsync("log/sale", 1);
        _time.Advance(TimeSpan.FromMilliseconds(1500));
        clerkAnswers.SetResult();
        await host.Logs.WaitForEventAsync(31, "the sale delivered");

        var measurement = Assert.Single(latency.GetMeasurementSnapshot());
        Assert.Equal(1.5, measurement.Value);
        Assert.Equal("sale", measurement.Tags["clerk.event"]);
        var count = Assert.Single(sent.GetMeasurementSnapshot());
        Assert.Equal(1, count.Value);
        Assert.Equal("sale", count.Tags["clerk.event"]);
    }

    [Fact]
    public async Task Latency_ClickRetriedOnce_IncludesTheRetryDelay()
    {
        await using var host = await StartAsync(o => o.Delivery.MaxRetryDelay = TimeSpan.FromSeconds(3));
        using var latency = Collect<double>(host.Services, "clerk.delivery.latency");
        fixture.Emulator.State.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.TooManyRequests, RetryAfter: TimeSpan.FromSeconds(2)), times: 1);

        host.Tracker.TrackClick(101, HomeNew);
        Assert.Equal(TimeSpan.FromSeconds(2), await _time.DelayStartedAsync(1, d => d < DeliveryWorkerTests.PollInterval));
        _time.Advance(TimeSpan.FromSeconds(2));
        await host.Logs.WaitForEventAsync(31, "the click delivered");

        var measurement = Assert.Single(latency.GetMeasurementSnapshot());
        Assert.Equal(2.0, measurement.Value);
        Assert.Equal("click", measurement.Tags["clerk.event"]);
    }

    [Fact]
    public async Task QueueLength_WorkerHeldOnAClickThenDone_IsWhatWaitsThenZero()
    {
        await using var host = await StartAsync(o => o.Delivery.MaxConcurrency = 1);
        using var length = Collect<int>(host.Services, "clerk.delivery.queue.length");
        var clerkAnswers = _wire.Hold("log/click");

        host.Tracker.TrackClick(100, HomeNew);
        await _wire.SentAsync("log/click", 1);
        host.Tracker.TrackClick(101, HomeNew);
        host.Tracker.TrackClick(102, HomeNew);
        length.RecordObservableInstruments();
        Assert.Equal(2, length.LastMeasurement?.Value);

        clerkAnswers.SetResult();
        await host.Logs.WaitForEventAsync(31, "all three delivered", count: 3);
        length.RecordObservableInstruments();
        Assert.Equal(0, length.LastMeasurement?.Value);
    }

    [Fact]
    public async Task QueueLength_EventsQueuedAndOneTaken_IsTheNumberOfClicksAndViewsWaiting()
    {
        using var host = BuildHostWithoutWorker();
        using var length = Collect<int>(host.Services, "clerk.delivery.queue.length");
        var tracker = host.Services.GetRequiredService<IClerkTracker>();
        var queue = host.Services.GetRequiredService<DeliveryQueue>();
        var ct = TestContext.Current.CancellationToken;

        length.RecordObservableInstruments();
        Assert.Equal(0, length.LastMeasurement?.Value);

        tracker.TrackClick(101, HomeNew, visitor: ClerkVisitor.Of("V1"));
        tracker.TrackClick(102, HomeNew, visitor: ClerkVisitor.Of("V1"));
        tracker.TrackProductView(103, ClerkVisitor.Of("V1"));

        // A sale waits in the outbox (in the health check's data), not in this queue.
        await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-Q1"), ct);
        length.RecordObservableInstruments();
        Assert.Equal(3, length.LastMeasurement?.Value);

        await queue.ReadAsync(ct);
        length.RecordObservableInstruments();
        Assert.Equal(2, length.LastMeasurement?.Value);
    }

    [Fact]
    public async Task Enqueued_EachTrackedEvent_IsCountedOnceByEvent()
    {
        using var host = BuildHostWithoutWorker();
        using var enqueued = Collect<long>(host.Services, "clerk.delivery.enqueued");
        var tracker = host.Services.GetRequiredService<IClerkTracker>();
        var ct = TestContext.Current.CancellationToken;

        tracker.TrackClick(101, HomeNew, visitor: ClerkVisitor.Of("V1"));
        tracker.TrackProductView(102, ClerkVisitor.Of("V1"));
        await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-E1"), ct);
        await tracker.TrackReturnAsync(101, "NG-E0", 1, ct);

        var measurements = enqueued.GetMeasurementSnapshot();
        Assert.All(measurements, m => Assert.Equal(1, m.Value));
        Assert.Equal(["click", "product_view", "sale", "return"], measurements.Select(m => (string?)m.Tags["clerk.event"]));
    }

    [Fact]
    public async Task SalesSuppressed_SameOrderTrackedTwice_IsCountedOnce()
    {
        using var host = BuildHostWithoutWorker();
        using var suppressed = Collect<long>(host.Services, "clerk.sales.suppressed");
        var tracker = host.Services.GetRequiredService<IClerkTracker>();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(ClerkSaleTrackingResult.Queued, await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-S1"), ct));
        Assert.Empty(suppressed.GetMeasurementSnapshot());
        Assert.Equal(ClerkSaleTrackingResult.AlreadySent, await tracker.TrackSaleAsync(ClerkTrackerTests.Sale("NG-S1"), ct));

        Assert.Equal(1, Assert.Single(suppressed.GetMeasurementSnapshot()).Value);
    }
}
