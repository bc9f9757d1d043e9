using System.Text.Json;
using Clerk.AspNetCore.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Tests.Configuration;

/// <summary>
/// The private key stays secret: it travels only over HTTPS to Clerk (plain HTTP only in Development or to this
/// machine, where the emulator runs), and it is left out when the options are serialised or described.
/// </summary>
public sealed class ClerkOptionsSecurityTests
{
    private const string Secret = "private-key-that-must-not-leak";

    private static ClerkOptionsValidator Validator(string environment) =>
        new(new HostingEnvironment { EnvironmentName = environment });

    private static ClerkOptions WithApi(string url) =>
        new() { PublicKey = "pub", PrivateKey = Secret, ApiBaseUrl = new Uri(url) };

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Validate_PlainHttpApiBaseUrlOutsideDevelopment_FailsSayingHowToFix(string environment)
    {
        var result = Validator(environment).Validate(null, WithApi("http://api.clerk.io/v2"));

        Assert.True(result.Failed);
        Assert.Contains("Clerk:ApiBaseUrl must use https", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("https://api.clerk.io/v2", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlainHttpApiBaseUrlWithoutAHostEnvironment_Fails()
    {
        var result = new ClerkOptionsValidator().Validate(null, WithApi("http://clerk-proxy.internal/v2"));

        Assert.True(result.Failed);
        Assert.Contains("Clerk:ApiBaseUrl must use https", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlainHttpApiBaseUrlInDevelopment_Succeeds()
    {
        var result = Validator(Environments.Development).Validate(null, WithApi("http://clerk-proxy.internal/v2"));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("http://localhost:5080/clerk-emulator/v2")]
    [InlineData("http://127.0.0.1:41234/v2")]
    [InlineData("http://[::1]:41234/v2")]
    public void Validate_PlainHttpLoopbackApiBaseUrlOutsideDevelopment_Succeeds(string url)
    {
        var result = Validator(Environments.Production).Validate(null, WithApi(url));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_HttpsApiBaseUrlInProduction_Succeeds()
    {
        var result = Validator(Environments.Production).Validate(null, WithApi("https://api.clerk.io/v2"));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public async Task AddClerk_PlainHttpApiBaseUrlInProduction_FailsWhenTheHostStarts()
    {
        using var host = new HostBuilder()
            .UseEnvironment(Environments.Production)
            .ConfigureServices(s => s.AddClerk(o =>
            {
                o.PublicKey = "pub";
                o.ApiBaseUrl = new Uri("http://api.clerk.io/v2");
            }))
            .Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Clerk:ApiBaseUrl must use https", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_OptionsWithAPrivateKey_LeavesTheKeyOut()
    {
        var options = new ClerkOptions { PublicKey = "pub", PrivateKey = Secret };

        var json = JsonSerializer.Serialize(options);

        Assert.DoesNotContain(Secret, json, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(ClerkOptions.PrivateKey), json, StringComparison.Ordinal);
        Assert.Contains("\"PublicKey\":\"pub\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_OptionsWithAPrivateKey_RedactsTheKey()
    {
        var text = new ClerkOptions { PublicKey = "pub", PrivateKey = Secret }.ToString();

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.Contains("(redacted)", text, StringComparison.Ordinal);
    }
}
