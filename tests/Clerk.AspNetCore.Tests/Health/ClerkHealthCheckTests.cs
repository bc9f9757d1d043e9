using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Health;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Health;

/// <summary><c>AddHealthChecks().AddClerk()</c>: keys, failing deliveries and Clerk's "red status" for sales.</summary>
public sealed class ClerkHealthCheckTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private Task<ServerSideHost> StartAsync(
        Action<ClerkOptions>? configure = null, FakeTimeProvider? time = null, Action<IServiceCollection>? services = null, HealthStatus? failureStatus = null)
    {
        fixture.Reset();
        return ServerSideHost.StartAsync(
            fixture.Emulator,
            o =>
            {
                o.SaleTracking = ClerkSaleTracking.ServerSide;
                configure?.Invoke(o);
            },
            services: s =>
            {
                s.AddHealthChecks().AddClerk(failureStatus: failureStatus);
                if (time is not null)
                {
                    s.AddSingleton<TimeProvider>(time);
                }

                services?.Invoke(s);
            });
    }

    private static async Task<HealthReportEntry> CheckAsync(ServerSideHost host)
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        return report.Entries["clerk"];
    }

    [Fact]
    public async Task Check_RightKeysAndASaleDelivered_IsHealthy()
    {
        await using var host = await StartAsync();
        await host.Tracker.TrackSaleAsync(new ClerkSale("NG-H1", [new ClerkSaleLine(101, 10m, 1)]), TestContext.Current.CancellationToken);
        await host.Logs.WaitForEventAsync(31, "the worker to see the sale delivered");

        var entry = await CheckAsync(host);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("valid", entry.Data["keys"]);
        Assert.True(entry.Data.ContainsKey("last_sale"));
    }

    [Fact]
    public async Task Check_WrongPrivateKey_IsDegradedSayingSo()
    {
        await using var host = await StartAsync(o => o.PrivateKey = "not-the-private-key");

        var entry = await CheckAsync(host);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("rejects the API keys", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-private-key", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_CalledTwice_AsksClerkAboutTheKeysOnce()
    {
        await using var host = await StartAsync();

        await CheckAsync(host);
        await CheckAsync(host);

        Assert.Single(fixture.Emulator.State.GetCalls("client/account/info"));
    }

    [Fact]
    public async Task Check_ClerkDownDuringAnOutage_AsksClerkWithThePrivateKeyAtMostEveryThirtySeconds()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await StartAsync(time: time);
        fixture.Emulator.State.InjectFault("client/account/info", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));

        var first = await CheckAsync(host);
        time.Advance(ClerkHealthCheck.OutageCheckInterval - TimeSpan.FromSeconds(1));
        var probed = await CheckAsync(host);

        Assert.Single(fixture.Emulator.State.GetCalls("client/account/info"));
        Assert.Equal(HealthStatus.Degraded, first.Status);
        Assert.Equal(HealthStatus.Degraded, probed.Status);
        Assert.Contains("could not be asked about the keys", probed.Description, StringComparison.Ordinal);
        Assert.Equal(first.Data["keys_checked"], probed.Data["keys_checked"]);

        time.Advance(TimeSpan.FromSeconds(1));
        await CheckAsync(host);

        Assert.Equal(2, fixture.Emulator.State.GetCalls("client/account/info").Count);
    }

    [Fact]
    public async Task Check_AnyOtherFailureOfTheKeyCheck_IsRememberedAsAnOutage()
    {
        var time = new FakeTimeProvider(Start);
        var handler = new CountingFailingHandler();
        fixture.Reset();
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, time: time, services: s =>
        {
            s.AddHealthChecks().AddClerk();
            s.AddSingleton<TimeProvider>(time);
            s.AddHttpClient(ClerkOptions.HttpClientName).AddHttpMessageHandler(() => handler);
        });

        var first = await CheckAsync(host);
        time.Advance(ClerkHealthCheck.OutageCheckInterval - TimeSpan.FromSeconds(1));
        await CheckAsync(host);

        Assert.Equal(HealthStatus.Degraded, first.Status);
        Assert.Contains("could not be asked about the keys", first.Description, StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls);
    }

    private sealed class CountingFailingHandler : DelegatingHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("A handler of the app failed.");
        }
    }

    [Fact]
    public async Task Check_ClerkBackAfterAnOutage_IsHealthyOnceTheOutageIsForgotten()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await StartAsync(time: time);
        fixture.Emulator.State.InjectFault("client/account/info", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 1);
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(host)).Status);

        time.Advance(ClerkHealthCheck.OutageCheckInterval);
        var entry = await CheckAsync(host);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("valid", entry.Data["keys"]);
        Assert.Equal(2, fixture.Emulator.State.GetCalls("client/account/info").Count);
    }

    [Fact]
    public async Task Check_NoSaleWithinTheWindow_IsDegraded()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await StartAsync(o => o.Delivery.SalesHealthWindow = TimeSpan.FromHours(6), time);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Status);

        time.Advance(TimeSpan.FromHours(7));
        var entry = await CheckAsync(host);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("No sale has gone to Clerk", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LastDeliveryFailed_IsDegraded()
    {
        await using var host = await StartAsync(o =>
        {
            o.Delivery.MaxEventAttempts = 1;
            o.Delivery.MaxConcurrency = 1;
        });
        fixture.Emulator.State.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));
        host.Tracker.TrackClick(101, ["Home - New"]);
        host.Tracker.TrackClick(102, ["Home - New"]);

        // One sender: once the second click is given up, the worker is done recording the first as failed.
        await host.Logs.WaitForEventAsync(33, "the clicks to be given up", count: 2);
        Assert.Equal(2, fixture.Emulator.State.GetCalls("log/click").Count);
        var entry = await CheckAsync(host);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("last delivery to Clerk failed", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoPrivateKey_SaysTheKeysAreNotChecked()
    {
        await using var host = await StartAsync(o => o.PrivateKey = null);

        var entry = await CheckAsync(host);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains("not checked", (string)entry.Data["keys"], StringComparison.Ordinal);
        Assert.Empty(fixture.Emulator.State.GetCalls("client/account/info"));
    }

    [Fact]
    public async Task Check_SaleFailedForGood_IsDegradedUntilRedrivenThenDelivered()
    {
        var time = new SteppedTimeProvider(Start);
        await using var host = await StartAsync(
            o =>
            {
                o.Delivery.SaleGiveUpAfter = TimeSpan.FromMilliseconds(300);
                o.Delivery.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
                o.Delivery.OutboxPollInterval = TimeSpan.FromMinutes(5);
            },
            time);
        var ct = TestContext.Current.CancellationToken;
        using var deliveryFailed = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkDiagnostics.MeterName, "clerk.delivery.failed");
        fixture.Emulator.State.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 3);

        await host.Tracker.TrackSaleAsync(new ClerkSale("NG-H-FAIL", [new ClerkSaleLine(101, 10m, 1)]), ct);

        // Tries at 0, 200 and 400 ms: the third fails past the give-up age and the sale is marked failed.
        for (var i = 1; i <= 2; i++)
        {
            await time.DelayStartedAsync(i, d => d < TimeSpan.FromMinutes(5));
            time.Advance(TimeSpan.FromMilliseconds(200));
        }

        // Counted once the worker has marked it failed.
        await deliveryFailed.WaitForMeasurementsAsync(1, Guard.SafetyTimeout);
        var outbox = host.Services.GetRequiredService<IClerkOutbox>();
        Assert.Equal(1, (await outbox.GetStatusAsync(ClerkEmulatorOptions.DemoPublicKey, ct)).Failed);
        var failed = await CheckAsync(host);

        Assert.Equal(HealthStatus.Degraded, failed.Status);
        Assert.Contains("1 Clerk sales or returns failed for good", failed.Description, StringComparison.Ordinal);
        Assert.Contains("IClerkOutbox.RedriveFailedAsync", failed.Description, StringComparison.Ordinal);
        Assert.Equal(1, failed.Data["outbox_failed"]);

        // The cause is fixed a while later (the emulator's faults ran out), and the sale re-driven.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await outbox.RedriveFailedAsync(ClerkEmulatorOptions.DemoPublicKey, ct));

        await host.Logs.WaitForEventAsync(31, "the re-driven sale delivered");
        Assert.NotNull(fixture.Emulator.State.GetSale("NG-H-FAIL"));
        var redriven = await CheckAsync(host);
        Assert.True(redriven.Status == HealthStatus.Healthy, redriven.Description);
        Assert.Equal(0, redriven.Data["outbox_failed"]);
    }

    [Fact]
    public async Task Check_SalePendingLongerThanTheThreshold_IsDegraded()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await StartAsync(o => o.Delivery.MaxRetryDelay = TimeSpan.FromMinutes(30), time, failureStatus: HealthStatus.Unhealthy);
        var outbox = host.Services.GetRequiredService<IClerkOutbox>();

        // Written straight into the outbox with a due time far off, as a stuck retry: nothing sends it meanwhile.
        await outbox.AddAsync(new ClerkOutboxMessage
        {
            Id = Guid.NewGuid(),
            Store = ClerkEmulatorOptions.DemoPublicKey,
            Kind = "sale",
            Endpoint = "log/sale",
            Body = """{"sale":"NG-STUCK","products":[]}""",
            OrderId = "NG-STUCK",
            CreatedAt = Start,
            DueAt = Start + TimeSpan.FromDays(1),
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Status);

        time.Advance(ClerkHealthCheck.PendingTooLong + TimeSpan.FromSeconds(1));
        var entry = await CheckAsync(host);

        // Degraded, never Unhealthy because of the outbox, whatever the registration's failure status.
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("1 Clerk sales or returns wait for delivery, the oldest for 15 min", entry.Description, StringComparison.Ordinal);
        Assert.Equal(1, entry.Data["outbox_pending"]);
    }

    [Fact]
    public async Task Check_OutboxThrows_IsDegradedWithoutTheExceptionsText()
    {
        await using var host = await StartAsync(
            services: s => s.AddSingleton<IClerkOutbox, UnreadableOutbox>(), failureStatus: HealthStatus.Unhealthy);

        var entry = await CheckAsync(host);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("The Clerk outbox (UnreadableOutbox) could not be read (InvalidOperationException)", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", entry.Description, StringComparison.Ordinal);
        Assert.Null(entry.Exception);
    }

    private sealed class UnreadableOutbox : IClerkOutbox
    {
        public ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(string store, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ClerkOutboxMessage>>([]);

        public ValueTask MarkSentAsync(IReadOnlyCollection<ClerkOutboxMessage> messages, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask RescheduleAsync(ClerkOutboxMessage message, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask MarkFailedAsync(ClerkOutboxMessage message, string error, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<int> RedriveFailedAsync(string store, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

        public ValueTask<ClerkOutboxStatus> GetStatusAsync(string store, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Could not connect: Password=hunter2");

        public ValueTask<ClerkOutboxErasure> ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) => ValueTask.FromResult(ClerkOutboxErasure.None);

        public ValueTask<IReadOnlyList<ClerkOutboxMessage>> FindAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ClerkOutboxMessage>>([]);
    }
}
