using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Clerk.AspNetCore.Tests.DependencyInjection;

/// <summary>Start-up checks that the click beacon <c>&lt;clerk-script&gt;</c> posts to is mapped.</summary>
public sealed class ClerkEndpointCheckTests
{
    private const int ClickBeaconNotMapped = 50;

    private static IHost Build(string environment, Action<ClerkOptions>? configure = null, Action<IEndpointRouteBuilder>? map = null, bool routing = true)
    {
        return new HostBuilder()
            .UseEnvironment(environment)
            .ConfigureLogging(logging => logging.ClearProviders().AddFakeLogging().SetMinimumLevel(LogLevel.Trace))
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    if (routing)
                    {
                        s.AddRouting();
                    }

                    s.AddClerk(o =>
                    {
                        o.PublicKey = "test-public-key";
                        configure?.Invoke(o);
                    });
                })
                .Configure(app =>
                {
                    app.UseClerkTracking();
                    if (!routing)
                    {
                        app.Run(c => Task.CompletedTask);
                        return;
                    }

                    app.UseRouting();
                    app.UseEndpoints(e =>
                    {
                        e.MapGet("/", () => "home");
                        map?.Invoke(e);
                    });
                }))
            .Build();
    }

    private static async Task<FakeLogRecord[]> StartAndReadAsync(IHost host)
    {
        await host.StartAsync(TestContext.Current.CancellationToken);
        var records = host.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == ClickBeaconNotMapped).ToArray();
        await host.StopAsync(TestContext.Current.CancellationToken);
        return records;
    }

    [Fact]
    public async Task Start_FallbackOnWithoutMapClerkTrackingInDevelopment_FailsNamingTheFix()
    {
        using var host = Build(Environments.Development);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("app.MapClerkTracking()", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Clerk:ClickFallback=false", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FallbackOnWithoutMapClerkTrackingInProduction_WarnsAndStarts()
    {
        using var host = Build(Environments.Production);

        var record = Assert.Single(await StartAndReadAsync(host));

        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Equal("ClickBeaconNotMapped", record.Id.Name);
        Assert.Contains("app.MapClerkTracking()", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MapClerkTrackingCalledInDevelopment_StartsWithoutWarning()
    {
        using var host = Build(Environments.Development, map: e => e.MapClerkTracking());

        Assert.Empty(await StartAndReadAsync(host));
    }

    [Fact]
    public async Task Start_FallbackOffWithoutMapClerkTracking_StartsWithoutWarning()
    {
        using var host = Build(Environments.Development, o => o.ClickFallback = false);

        Assert.Empty(await StartAndReadAsync(host));
    }

    [Fact]
    public async Task Start_ApiModeWithoutMapClerkTracking_Warns()
    {
        using var host = Build(Environments.Production, o => o.Mode = ClerkIntegrationMode.Api);

        var record = Assert.Single(await StartAndReadAsync(host));

        Assert.Contains("'Api' mode", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MapClerkTrackingInsideARouteGroup_WarnsThatThePathsDiffer()
    {
        using var host = Build(Environments.Production, map: e => e.MapGroup("/shop").MapClerkTracking());

        var record = Assert.Single(await StartAndReadAsync(host));

        Assert.Contains("/shop/clerk/click", record.Message, StringComparison.Ordinal);
        Assert.Contains("Clerk:BeaconPath", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AppWithoutRouting_ChecksNothing()
    {
        using var host = Build(Environments.Development, routing: false);

        Assert.Empty(await StartAndReadAsync(host));
    }

    [Fact]
    public async Task Start_ClerkDisabled_ChecksNothing()
    {
        using var host = Build(Environments.Development, o => o.Enabled = false);

        Assert.Empty(await StartAndReadAsync(host));
    }
}
