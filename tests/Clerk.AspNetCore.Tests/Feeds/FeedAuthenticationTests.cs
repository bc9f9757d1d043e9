using System.Diagnostics.Metrics;
using System.Net;
using Clerk.AspNetCore.Feeds;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>Only Clerk's importer reads the feeds: the key pair, or a bearer token a registered verifier accepts.</summary>
public sealed class FeedAuthenticationTests
{
    private const string Refused = """{"error":{"code":403,"message":"Invalid Authentication, please provide valid credentials."}}""";

    public static TheoryData<string> BadCredentials => new(
        "",
        $"key={FeedHost.PublicKey}",
        $"private_key={FeedHost.PrivateKey}",
        $"key={FeedHost.PublicKey}&private_key=wrong",
        $"key={FeedHost.PublicKey}&private_key={FeedHost.PrivateKey}x",
        $"key={FeedHost.PublicKey}&private_key={FeedHost.PrivateKey[..^1]}",
        $"key=wrong&private_key={FeedHost.PrivateKey}",
        $"key={FeedHost.PrivateKey}&private_key={FeedHost.PublicKey}",
        $"key={FeedHost.PublicKey.ToUpperInvariant()}&private_key={FeedHost.PrivateKey.ToUpperInvariant()}",
        $"key=&private_key=",
        $"key={FeedHost.PublicKey}&private_key=%00");

    [Theory]
    [MemberData(nameof(BadCredentials))]
    public async Task Get_WrongOrMissingKeys_Answers403WithClerksBodyAndNoItem(string keys)
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 5);

        var (status, body) = await host.GetTextAsync("product", "page=1", keys: keys.Length == 0 ? "x=1" : keys);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(Refused, body);
        Assert.Empty(host.Catalog.Requests);
    }

    [Fact]
    public async Task Get_WrongKeys_IsLoggedAndCountedWithoutTheKeys()
    {
        await using var host = await FeedHost.StartAsync();
        using var failures = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkDiagnostics.MeterName, "clerk.feed.authentication.failures");

        await host.GetTextAsync("product", keys: $"key={FeedHost.PublicKey}&private_key=guess-{FeedHost.PrivateKey}");

        var record = await host.Logs.WaitForEventAsync(70, "the refusal logged");
        Assert.Contains("key and private_key are not the store's", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FeedHost.PrivateKey, record.Message, StringComparison.Ordinal);
        var count = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal("invalid_keys", count.Tags["clerk.reason"]);
        Assert.Equal("product", count.Tags["clerk.feed"]);
    }

    [Fact]
    public async Task Get_BearerWithoutAVerifier_Answers403SayingHowToFixIt()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 5);

        var context = await host.SendAsync($"/clerk/product?key={FeedHost.PublicKey}", headers: ("X-Clerk-Authorization", $"Bearer {TestTokenVerifier.GoodToken}"));

        Assert.Equal(403, context.Response.StatusCode);
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("register an IClerkFeedTokenVerifier", body, StringComparison.Ordinal);
        Assert.Contains("send key and private_key", body, StringComparison.Ordinal);
        Assert.Empty(host.Catalog.Requests);
    }

    [Fact]
    public async Task Get_BearerTheVerifierAccepts_ServesThePage()
    {
        var verifier = new TestTokenVerifier();
        await using var host = await FeedHost.StartAsync(services: s => s.AddSingleton<IClerkFeedTokenVerifier>(verifier));
        host.Catalog.AddProducts(1, 5);

        var context = await host.SendAsync($"/clerk/product?key={FeedHost.PublicKey}", headers: ("X-Clerk-Authorization", $"Bearer {TestTokenVerifier.GoodToken}"));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal((TestTokenVerifier.GoodToken, FeedHost.PublicKey), Assert.Single(verifier.Calls));
    }

    [Theory]
    [InlineData("Bearer not-the-token")]
    [InlineData("Bearer ")]
    [InlineData("Basic abc")]
    [InlineData("Bearer two tokens")]
    public async Task Get_BearerTheVerifierRefusesOrMalformed_Answers403(string header)
    {
        var verifier = new TestTokenVerifier();
        await using var host = await FeedHost.StartAsync(services: s => s.AddSingleton<IClerkFeedTokenVerifier>(verifier));

        var context = await host.SendAsync($"/clerk/product?key={FeedHost.PublicKey}", headers: ("X-Clerk-Authorization", header));

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal(Refused, await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken));
        Assert.Empty(host.Catalog.Requests);
    }

    [Fact]
    public async Task Get_BearerWithTheWrongPublicKey_Answers403WithoutAskingTheVerifier()
    {
        var verifier = new TestTokenVerifier();
        await using var host = await FeedHost.StartAsync(services: s => s.AddSingleton<IClerkFeedTokenVerifier>(verifier));

        var context = await host.SendAsync("/clerk/product?key=another-store", headers: ("X-Clerk-Authorization", $"Bearer {TestTokenVerifier.GoodToken}"));

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Empty(verifier.Calls);
    }

    [Fact]
    public async Task Get_VerifierThrows_Answers403AndLogsTheException()
    {
        await using var host = await FeedHost.StartAsync(services: s => s.AddSingleton<IClerkFeedTokenVerifier, ThrowingVerifier>());

        var context = await host.SendAsync($"/clerk/product?key={FeedHost.PublicKey}", headers: ("X-Clerk-Authorization", "Bearer abc"));

        Assert.Equal(403, context.Response.StatusCode);
        var record = await host.Logs.WaitForEventAsync(70, "the verifier's failure logged");
        Assert.IsType<HttpRequestException>(record.Exception);
        Assert.DoesNotContain("abc", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NoPrivateKeyConfigured_RefusesEvenTheRightPublicKeyAndSaysSoAtStart()
    {
        await using var host = await FeedHost.StartAsync(o => o.PrivateKey = null, services: s => s.AddSingleton<IClerkFeedTokenVerifier, TestTokenVerifier>());
        host.Catalog.AddProducts(1, 5);

        var (status, body) = await host.GetTextAsync("product", keys: $"key={FeedHost.PublicKey}&private_key=");
        var bearer = await host.SendAsync($"/clerk/product?key={FeedHost.PublicKey}", headers: ("X-Clerk-Authorization", $"Bearer {TestTokenVerifier.GoodToken}"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(Refused, body);
        Assert.Equal(403, bearer.Response.StatusCode);
        var startUp = await host.Logs.WaitForEventAsync(71, "the missing private key reported at start");
        Assert.Contains("Clerk:PrivateKey is not set", startUp.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_WithKeysRightAndWrong_NeverLogTheKeysOrTheToken()
    {
        var verifier = new TestTokenVerifier();
        await using var host = await FeedHost.StartAsync(services: s => s.AddSingleton<IClerkFeedTokenVerifier>(verifier), environment: "Development");
        host.Catalog.AddProducts(1, 5);

        await host.GetTextAsync("product", "debug=1");
        await host.GetTextAsync("product", "page=abc");
        await host.GetTextAsync("product", keys: $"key={FeedHost.PublicKey}&private_key={FeedHost.PrivateKey}-typo");
        await host.GetTextAsync("product", keys: $"key={FeedHost.PrivateKey}");
        await host.SendAsync($"/clerk/product?key={FeedHost.PublicKey}", headers: ("X-Clerk-Authorization", $"Bearer {TestTokenVerifier.GoodToken}"));
        await host.SendAsync($"/clerk/product?key={FeedHost.PublicKey}", headers: ("X-Clerk-Authorization", "Bearer secret-guess-42"));

        // The package's own records. ASP.NET Core's "Request starting" (Microsoft.AspNetCore.Hosting.Diagnostics, at
        // Information) writes the query string, keys and all, before any endpoint runs: docs/feeds.md says to keep
        // that category at Warning, or have the importer POST.
        var records = host.Logs.ClerkRecords();
        Assert.Contains(records, r => r.Id.Id == 70);
        foreach (var record in records)
        {
            var text = record.Message + " " + string.Join(' ', record.StructuredState?.Select(s => s.Value) ?? []) + " " + record.Exception;
            Assert.DoesNotContain(FeedHost.PrivateKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TestTokenVerifier.GoodToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-guess-42", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Matches_TheSameKey_IsTrueAndAnyOtherFalse()
    {
        var expected = System.Security.Cryptography.SHA256.HashData("k3y-ÆØÅ"u8);

        Assert.True(FeedAuthenticator.Matches("k3y-ÆØÅ", expected));
        Assert.False(FeedAuthenticator.Matches("k3y-ÆØ", expected));
        Assert.False(FeedAuthenticator.Matches("k3y-ÆØÅ ", expected));
        Assert.False(FeedAuthenticator.Matches(null, expected));
        Assert.False(FeedAuthenticator.Matches(new string('x', 5_000), expected));
        Assert.False(FeedAuthenticator.Matches("", System.Security.Cryptography.SHA256.HashData(""u8)));
    }

    private sealed class ThrowingVerifier : IClerkFeedTokenVerifier
    {
        public ValueTask<bool> VerifyAsync(string token, string publicKey, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Clerk's token endpoint is down");
    }
}
