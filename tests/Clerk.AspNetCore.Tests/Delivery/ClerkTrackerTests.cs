using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary><see cref="IClerkTracker"/> and the delivery worker against the emulator: capture, once per order, modes, mistakes.</summary>
public sealed class ClerkTrackerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string[] HomeNew = ["Home - New"];

    private ClerkEmulatorState Emulator => fixture.Emulator.State;

    internal static ClerkSale Sale(string orderId, string? email = "buyer@example.com") =>
        new(orderId, [new ClerkSaleLine(101, 499.95m, 2)]) { Email = email };

    private static ValueTask<ClerkOutboxStatus> StatusAsync(ServerSideHost host) =>
        host.Services.GetRequiredService<IClerkOutbox>().GetStatusAsync(ClerkEmulatorOptions.DemoPublicKey, TestContext.Current.CancellationToken);

    [Fact]
    public async Task TrackSaleAsync_OutboxThrowsInProduction_ReturnsNotQueuedReleasesTheOrderAndLogsThePayload()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(
            fixture.Emulator,
            o => o.SaleTracking = ClerkSaleTracking.ServerSide,
            services: s => s.AddSingleton<IClerkOutbox, DownOutbox>());
        using var failures = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.tracking.failures");
        using var failed = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.failed");

        var result = await host.Tracker.TrackSaleAsync(Sale("NG-DB"), TestContext.Current.CancellationToken);

        Assert.Equal(ClerkSaleTrackingResult.NotQueued, result);
        var entry = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 44);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("NG-DB", entry.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(DownOutbox), entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"products\"", entry.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(entry.Exception);
        var payload = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 42);
        Assert.Equal(LogLevel.Debug, payload.Level);
        Assert.Contains("\"sale\":\"NG-DB\"", payload.Message, StringComparison.Ordinal);
        Assert.Equal("outbox", Assert.Single(failures.GetMeasurementSnapshot()).Tags["clerk.stage"]);
        Assert.Equal("NotQueued", Assert.Single(failed.GetMeasurementSnapshot()).Tags["clerk.error.type"]);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, "NG-DB", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TrackSaleAsync_OutboxThrowsInDevelopment_ThrowsAndReleasesTheOrder()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(
            fixture.Emulator,
            o => o.SaleTracking = ClerkSaleTracking.ServerSide,
            environment: "Development",
            services: s => s.AddSingleton<IClerkOutbox, DownOutbox>());

        await Assert.ThrowsAsync<TimeoutException>(async () => await host.Tracker.TrackSaleAsync(Sale("NG-DB-DEV"), TestContext.Current.CancellationToken));

        Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 44);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, "NG-DB-DEV", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TrackReturnAsync_OutboxThrowsInProduction_DoesNotThrowAndLogs()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, services: s => s.AddSingleton<IClerkOutbox, DownOutbox>());

        await host.Tracker.TrackReturnAsync(101, "NG-RET-DB", 1, TestContext.Current.CancellationToken);

        var entry = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 44);
        Assert.Contains("return", entry.Message, StringComparison.Ordinal);
        Assert.Contains("NG-RET-DB", entry.Message, StringComparison.Ordinal);
    }

    /// <summary>An outbox whose database is down for writes (the worker finds nothing to lease).</summary>
    private sealed class DownOutbox : IClerkOutbox
    {
        public ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default) =>
            throw new TimeoutException("The database at Host=db.internal;Password=hunter2 did not answer.");

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

    [Fact]
    public async Task TrackClick_InARequest_DeliversWithTheVisitorAndLabelsOfThatRequest()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, endpoint: c =>
        {
            c.RequestServices.GetRequiredService<IClerkTracker>().TrackClick(105, HomeNew, "recommendations/new", 1);
            return Task.CompletedTask;
        });

        using var response = await host.RequestAsync(visitorCookie: "Clicker9");

        await host.Logs.WaitForEventAsync(31, "the click delivered");
        var click = Assert.Single(Emulator.GetCalls("log/click"));
        Assert.True(click.Succeeded, click.ErrorMessage);
        Assert.Equal("Clicker9", click.Visitor);
        Assert.Equal(HomeNew, click.Labels);
        Assert.Equal(105, click.Arguments.GetProperty("product").GetInt64());
    }

    [Fact]
    public async Task TrackSaleAsync_ServerSideTwiceForOneOrder_DeliversOneSaleWithTheRequestsVisitor()
    {
        fixture.Reset();
        var results = new List<ClerkSaleTrackingResult>();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.SaleTracking = ClerkSaleTracking.ServerSide, endpoint: async c =>
        {
            var result = await c.RequestServices.GetRequiredService<IClerkTracker>().TrackSaleAsync(Sale("NG-ONCE"), c.RequestAborted);
            lock (results)
            {
                results.Add(result);
            }
        });

        using var enqueued = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.enqueued");

        using (await host.RequestAsync(visitorCookie: "Buyer5"))
        {
        }

        using (await host.RequestAsync(visitorCookie: "Buyer5"))
        {
        }

        await host.Logs.WaitForEventAsync(31, "the sale delivered");
        var report = Emulator.GetSale("NG-ONCE");
        Assert.NotNull(report);
        Assert.Equal([ClerkSaleTrackingResult.Queued, ClerkSaleTrackingResult.AlreadySent], results);
        Assert.Equal("Buyer5", report.Sale.Visitor);
        Assert.Equal("buyer@example.com", report.Sale.Email);

        // Only the first was queued, and it has gone: nothing is left that could reach Clerk a second time.
        Assert.Single(enqueued.GetMeasurementSnapshot());
        Assert.Equal(0, (await StatusAsync(host)).Pending);
        Assert.Single(Emulator.GetCalls("log/sale"));
        Assert.False(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, "NG-ONCE", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TrackSaleAsync_ClientSide_LeavesTheSaleToThePageAndClaimsNothing()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.SaleTracking = ClerkSaleTracking.ClientSide);

        var result = await host.Tracker.TrackSaleAsync(Sale("NG-PAGE"), TestContext.Current.CancellationToken);

        Assert.Equal(ClerkSaleTrackingResult.LeftToPage, result);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, "NG-PAGE", TestContext.Current.CancellationToken));
        Assert.Contains(host.Logs.ClerkRecords(), e => e.Id.Id == 38);
        Assert.Empty(Emulator.GetCalls("log/sale"));
    }

    [Fact]
    public async Task TrackSaleAsync_InvalidSaleInProduction_LogsEvent37AndQueuesNothing()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.SaleTracking = ClerkSaleTracking.ServerSide);
        var sale = new ClerkSale("NG-BAD", [new ClerkSaleLine(101, 499.95m, 0)]);

        var result = await host.Tracker.TrackSaleAsync(sale, TestContext.Current.CancellationToken);

        Assert.Equal(ClerkSaleTrackingResult.Invalid, result);
        var entry = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 37);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("quantity 0", entry.Message, StringComparison.Ordinal);
        Assert.True(await host.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, "NG-BAD", TestContext.Current.CancellationToken));
        Assert.Equal(0, (await StatusAsync(host)).Pending);
    }

    [Fact]
    public async Task TrackSaleAsync_InvalidSaleInDevelopment_Throws()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.SaleTracking = ClerkSaleTracking.ServerSide, environment: "Development");

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await host.Tracker.TrackSaleAsync(new ClerkSale("NG-BAD", []), TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => host.Tracker.TrackClick(101, []));
    }

    [Fact]
    public async Task TrackClick_NoLabelsInProduction_DoesNotThrowAndIsCounted()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator);
        using var failed = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.failed");

        host.Tracker.TrackClick(101, []);

        Assert.Contains(host.Logs.ClerkRecords(), e => e.Id.Id == 37);
        var measurement = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal("Invalid", measurement.Tags["clerk.error.type"]);
    }

    [Fact]
    public async Task Tracker_ClerkTurnedOff_TracksNothing()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => { o.Enabled = false; o.SaleTracking = ClerkSaleTracking.ServerSide; });

        host.Tracker.TrackClick(101, HomeNew);
        var result = await host.Tracker.TrackSaleAsync(Sale("NG-OFF"), TestContext.Current.CancellationToken);

        Assert.Equal(ClerkSaleTrackingResult.Disabled, result);
        Assert.Equal(0, host.Services.GetRequiredService<DeliveryQueue>().Count);
        Assert.Equal(0, (await StatusAsync(host)).Pending);
    }

    [Fact]
    public async Task TrackEmail_VisitorDeclined_SendsNothing()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, endpoint: c =>
        {
            c.RequestServices.GetRequiredService<IClerkTracker>().TrackEmail("someone@example.com");
            return Task.CompletedTask;
        });

        using (await host.RequestAsync("Visitor42", ("Sec-GPC", "1")))
        {
        }

        Assert.Equal(0, host.Services.GetRequiredService<DeliveryQueue>().Count);
        Assert.Empty(Emulator.GetCalls("log/email"));
    }

    [Fact]
    public async Task TrackProductViewCategoryViewEmailAndReturn_AreDelivered()
    {
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator);

        host.Tracker.TrackProductView(102, ClerkVisitor.Of("V2"));
        host.Tracker.TrackCategoryView("knitwear", ClerkVisitor.Of("V2"));
        host.Tracker.TrackEmail("v2@example.com", ClerkVisitor.Of("V2"));
        await host.Tracker.TrackReturnAsync(101, "NG-1001", 1, TestContext.Current.CancellationToken);

        await host.Logs.WaitForEventAsync(31, "the four events delivered", count: 4);
        foreach (var endpoint in new[] { "log/product", "log/category", "log/email", "log/returned" })
        {
            var call = Assert.Single(Emulator.GetCalls(endpoint));
            Assert.True(call.Succeeded, $"{endpoint}: {call.ErrorMessage}");
        }
    }
}
