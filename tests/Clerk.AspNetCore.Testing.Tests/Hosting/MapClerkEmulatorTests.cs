using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Clerk.AspNetCore.Testing.Tests.Hosting;

/// <summary>The emulator is for development and tests: it is never mapped in another environment by accident.</summary>
public sealed class MapClerkEmulatorTests
{
    [Fact]
    public async Task MapClerkEmulator_ProductionWithoutOptIn_ThrowsNamingTheOptIn()
    {
        await using var app = Build(Environments.Production);

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapClerkEmulator());

        Assert.Contains("'Production'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AllowOutsideDevelopment = true", exception.Message, StringComparison.Ordinal);
        Assert.Empty(Endpoints(app));
    }

    [Theory]
    [InlineData("Staging")]
    [InlineData("Test")]
    public async Task MapClerkEmulator_OtherEnvironmentWithoutOptIn_Throws(string environment)
    {
        await using var app = Build(environment);

        Assert.Throws<InvalidOperationException>(() => app.MapClerkEmulator());
    }

    [Fact]
    public async Task MapClerkEmulator_ProductionWithOptIn_Maps()
    {
        await using var app = Build(Environments.Production, o => o.AllowOutsideDevelopment = true);

        app.MapClerkEmulator("/clerk-emulator");

        Assert.Contains(Endpoints(app), e => e.RoutePattern.RawText == "/clerk-emulator/clerk.js");
    }

    [Fact]
    public async Task MapClerkEmulator_Development_MapsWithoutOptIn()
    {
        await using var app = Build(Environments.Development);

        app.MapClerkEmulator("/clerk-emulator");

        Assert.Contains(Endpoints(app), e => e.RoutePattern.RawText == "/clerk-emulator/");
    }

    [Fact]
    public async Task StartAsync_OutsideDevelopment_RunsOnLoopback()
    {
        // StartAsync is the test emulator on a loopback port of its own: it opts in for itself, in any environment.
        await using var emulator = await ClerkEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(emulator.BaseAddress.Host)));
    }

    private static WebApplication Build(string environment, Action<ClerkEmulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Services.AddClerkEmulator(configure);
        return builder.Build();
    }

    private static List<RouteEndpoint> Endpoints(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
}
