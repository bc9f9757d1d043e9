using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.Api;

/// <summary>
/// A redirect from Clerk's address is never followed: a 307 or 308 re-posts the body, private key included, to
/// wherever the <c>Location</c> points. Tested on real sockets, since only the real primary handler follows redirects.
/// </summary>
public sealed class ClerkRedirectTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;

    private static Task<LoopbackServer> StartElsewhereAsync() =>
        LoopbackServer.StartAsync(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"status":"ok"}""", context.RequestAborted);
        });

    private static Task<LoopbackServer> StartRedirectingAsync(LoopbackServer elsewhere, int status) =>
        LoopbackServer.StartAsync(context =>
        {
            // Another host name (and port) than Clerk's 127.0.0.1: where a man in the middle would send the call.
            context.Response.StatusCode = status;
            context.Response.Headers.Location = $"http://localhost:{elsewhere.Address.Port}{context.Request.Path}";
            return Task.CompletedTask;
        });

    private Task<ServerSideHost> StartAsync(LoopbackServer clerk, Action<ClerkOptions>? configure = null)
    {
        fixture.Reset();
        return ServerSideHost.StartAsync(fixture.Emulator, o =>
        {
            o.ApiBaseUrl = new Uri(clerk.Address, "/v2");
            configure?.Invoke(o);
        });
    }

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    public async Task GetAccountInfoAsync_ClerkRedirectsToAnotherHost_ThrowsAndNeverSendsThePrivateKeyThere(int status)
    {
        await using var elsewhere = await StartElsewhereAsync();
        await using var clerk = await StartRedirectingAsync(elsewhere, status);
        await using var host = await StartAsync(clerk);
        var client = host.Services.GetRequiredService<IClerkClient>();

        var exception = await Assert.ThrowsAsync<ClerkApiException>(() => client.GetAccountInfoAsync(TestContext.Current.CancellationToken));

        Assert.Equal(status, exception.StatusCode);
        Assert.False(exception.IsTransient);
        Assert.Contains("redirect", exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ApiBaseUrl", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateKey, exception.Message, StringComparison.Ordinal);
        Assert.Contains(PrivateKey, Assert.Single(clerk.Bodies), StringComparison.Ordinal);
        Assert.Empty(elsewhere.Bodies);
    }

    [Fact]
    public async Task Deliver_ClerkRedirectsASale_RejectsItWithoutRetryingOrFollowing()
    {
        await using var elsewhere = await StartElsewhereAsync();
        await using var clerk = await StartRedirectingAsync(elsewhere, 307);
        await using var host = await StartAsync(clerk, o => o.SaleTracking = ClerkSaleTracking.ServerSide);

        await host.Tracker.TrackSaleAsync(new ClerkSale("NG-R1", [new ClerkSaleLine(101, 10m, 1)]), TestContext.Current.CancellationToken);
        var rejected = await host.Logs.WaitForEventAsync(34, "the redirected sale to be rejected");

        Assert.Contains("307", rejected.Message, StringComparison.Ordinal);
        Assert.Single(clerk.Bodies);
        Assert.Empty(elsewhere.Bodies);
    }
}
