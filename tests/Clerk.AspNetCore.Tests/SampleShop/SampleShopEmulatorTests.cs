using Clerk.AspNetCore.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>
/// Without a real Clerk key the sample shop runs offline on the emulator (in Development, or opted in with
/// ClerkEmulator:Enabled=true as this factory does); with one it talks to Clerk.
/// </summary>
public sealed class SampleShopEmulatorTests(SampleShopFactory factory) : IClassFixture<SampleShopFactory>
{
    [Fact]
    public void Options_WithoutRealKey_PointAtTheEmulator()
    {
        var options = factory.Services.GetRequiredService<IOptions<ClerkOptions>>().Value;

        // One store per market: Denmark on the demo keys (the default), the English market under /en on the second pair.
        Assert.Null(options.PublicKey);
        Assert.Equal("dk", options.DefaultStore);
        Assert.Equal(ClerkEmulatorOptions.DemoPublicKey, options.Stores["dk"].PublicKey);
        Assert.Equal(ClerkEmulatorOptions.DemoPrivateKey, options.Stores["dk"].PrivateKey);
        Assert.Equal(ClerkEmulatorOptions.DemoPublicKeyEn, options.Stores["en"].PublicKey);
        Assert.Equal(ClerkEmulatorOptions.DemoPrivateKeyEn, options.Stores["en"].PrivateKey);
        Assert.Equal("/en", options.Stores["en"].PathBase);
        Assert.Equal("english", options.Stores["en"].Language);
        Assert.Equal("/clerk-emulator/clerk.js", options.ClerkJsUrl);
        Assert.EndsWith("/clerk-emulator/v2", options.ApiBaseUrl.ToString(), StringComparison.Ordinal);
        Assert.True(options.ApiBaseUrl.IsAbsoluteUri);
    }

    [Theory]
    [InlineData("/clerk-emulator/", "text/html")]
    [InlineData("/clerk-emulator/clerk.js", "application/javascript")]
    [InlineData("/clerk-emulator/_emulator/calls", "application/json")]
    public async Task Get_WithoutRealKey_EmulatorIsMapped(string path, string mediaType)
    {
        using var response = await factory.CreateVisitorClient().GetAsync(path, TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode, path);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetHome_WithoutRealKey_LinksTheInspector()
    {
        var html = await factory.CreateVisitorClient().GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.Contains("id=\"emulator-link\" href=\"/clerk-emulator/\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithRealKey_TalksToClerkAndMapsNoEmulator()
    {
        using var withKey = factory.WithWebHostBuilder(b => b.UseSetting("Clerk:PublicKey", "real-public-key"));

        var options = withKey.Services.GetRequiredService<IOptions<ClerkOptions>>().Value;
        using var response = await withKey.CreateClient().GetAsync("/clerk-emulator/clerk.js", TestContext.Current.CancellationToken);

        Assert.Equal("real-public-key", options.PublicKey);
        Assert.Equal(ClerkOptions.DefaultClerkJsUrl, options.ClerkJsUrl);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Start_ProductionWithoutKeyOrOptIn_RefusesNamingBothSettings()
    {
        using var production = factory.WithWebHostBuilder(b => b.UseSetting("ClerkEmulator:Enabled", "false"));

        var exception = Assert.ThrowsAny<Exception>(() => production.Services);

        var message = exception is InvalidOperationException ? exception.Message : exception.InnerException?.Message ?? exception.Message;
        Assert.Contains("Clerk:PublicKey", message, StringComparison.Ordinal);
        Assert.Contains("ClerkEmulator:Enabled=true", message, StringComparison.Ordinal);
        Assert.Contains("'Production'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithClerkTurnedOffAndNoKey_RunsWithoutTheEmulator()
    {
        using var production = factory.WithWebHostBuilder(b => b
            .UseSetting("ClerkEmulator:Enabled", "false")
            .UseSetting("Clerk:Enabled", "false"));
        using var client = production.CreateClient();

        using var home = await client.GetAsync("/", TestContext.Current.CancellationToken);
        using var emulator = await client.GetAsync("/clerk-emulator/clerk.js", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, emulator.StatusCode);
    }

    [Fact]
    public async Task Get_DevelopmentWithoutKey_MapsTheEmulatorWithoutOptIn()
    {
        using var development = factory.WithWebHostBuilder(b => b
            .UseEnvironment("Development")
            .UseSetting("ClerkEmulator:Enabled", "false"));

        using var response = await development.CreateClient().GetAsync("/clerk-emulator/clerk.js", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ClerkEmulatorOptions.DemoPublicKey, development.Services.GetRequiredService<IOptions<ClerkOptions>>().Value.Stores["dk"].PublicKey);
    }

    [Fact]
    public async Task Options_WithSharedEmulatorUrl_PointAtThatEmulatorAndMapNoneHere()
    {
        using var farm = factory.WithWebHostBuilder(b => b.UseSetting("ClerkEmulator:Url", "http://127.0.0.1:5081/clerk-emulator/"));

        var options = farm.Services.GetRequiredService<IOptions<ClerkOptions>>().Value;
        using var own = await farm.CreateClient().GetAsync("/clerk-emulator/clerk.js", TestContext.Current.CancellationToken);

        Assert.Equal(ClerkEmulatorOptions.DemoPublicKey, options.Stores["dk"].PublicKey);
        Assert.Equal(ClerkEmulatorOptions.DemoPrivateKey, options.Stores["dk"].PrivateKey);
        Assert.Equal(ClerkEmulatorOptions.DemoPublicKeyEn, options.Stores["en"].PublicKey);
        Assert.Equal("http://127.0.0.1:5081/clerk-emulator/clerk.js", options.ClerkJsUrl);
        Assert.Equal(new Uri("http://127.0.0.1:5081/clerk-emulator/v2"), options.ApiBaseUrl);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, own.StatusCode);
    }

    [Fact]
    public void Start_SharedEmulatorUrlNotAnAbsoluteAddress_RefusesNamingTheSetting()
    {
        using var farm = factory.WithWebHostBuilder(b => b.UseSetting("ClerkEmulator:Url", "/clerk-emulator"));

        var exception = Assert.ThrowsAny<Exception>(() => farm.Services);

        var message = exception is InvalidOperationException ? exception.Message : exception.InnerException?.Message ?? exception.Message;
        Assert.Contains("ClerkEmulator:Url", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ProductionWithSharedEmulatorUrlButNoOptIn_Refuses()
    {
        using var farm = factory.WithWebHostBuilder(b => b
            .UseSetting("ClerkEmulator:Enabled", "false")
            .UseSetting("ClerkEmulator:Url", "http://127.0.0.1:5081/clerk-emulator"));

        var exception = Assert.ThrowsAny<Exception>(() => farm.Services);

        var message = exception is InvalidOperationException ? exception.Message : exception.InnerException?.Message ?? exception.Message;
        Assert.Contains("ClerkEmulator:Enabled=true", message, StringComparison.Ordinal);
    }
}
