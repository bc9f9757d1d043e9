using Clerk.AspNetCore.Health;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Health;

/// <summary><c>AddHealthChecks().AddClerk()</c>: keys, failing deliveries and Clerk's "red status" for sales.</summary>
public sealed class ClerkHealthCheckTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private Task<ServerSideHost> StartAsync(Action<ClerkOptions>? configure = null, FakeTimeProvider? time = null)
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
                s.AddHealthChecks().AddClerk();
                if (time is not null)
                {
                    s.AddSingleton<TimeProvider>(time);
                }
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
}
