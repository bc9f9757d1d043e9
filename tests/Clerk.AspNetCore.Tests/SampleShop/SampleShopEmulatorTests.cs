using Clerk.AspNetCore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>Without a real Clerk key the sample shop runs offline on the emulator; with one it talks to Clerk.</summary>
public sealed class SampleShopEmulatorTests(SampleShopFactory factory) : IClassFixture<SampleShopFactory>
{
    [Fact]
    public void Options_WithoutRealKey_PointAtTheEmulator()
    {
        var options = factory.Services.GetRequiredService<IOptions<ClerkOptions>>().Value;

        Assert.Equal(ClerkEmulatorOptions.DemoPublicKey, options.PublicKey);
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
}
