using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Testing.Tests.Import;

/// <summary>
/// The importer pulls through the named HttpClient, so a test routes it where the shop is (a WebApplicationFactory's
/// test server, here a stub handler), and takes its times from the app's TimeProvider.
/// </summary>
public sealed class ImporterHttpClientTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ImportAsync_NamedClientRoutedToAHandler_PullsThroughItAndStampsTheAppsTime()
    {
        var shop = new StubShop();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Start));
        services.AddClerkEmulator();
        services.AddHttpClient(ClerkEmulatorOptions.ImporterHttpClientName).ConfigurePrimaryHttpMessageHandler(() => shop);
        await using var provider = services.BuildServiceProvider();
        var importer = provider.GetRequiredService<ClerkEmulatorImporter>();

        var import = await importer.ImportAsync(
            new Uri("http://shop.test/clerk/"), ClerkEmulatorOptions.DemoPublicKey, ClerkEmulatorOptions.DemoPrivateKey, TestContext.Current.CancellationToken);

        Assert.True(import.Succeeded, string.Join(" | ", import.Errors));
        Assert.Equal(
            ["http://shop.test/clerk/product?key=demo-public-key&private_key=demo-private-key&page=1&limit=100",
             "http://shop.test/clerk/category?key=demo-public-key&private_key=demo-private-key&page=1&limit=100",
             "http://shop.test/clerk/order?key=demo-public-key&private_key=demo-private-key&page=1&limit=100"],
            shop.Requested);
        Assert.Equal((Start, Start), (import.StartedAt, import.FinishedAt!.Value));
        Assert.Equal("Stub", Assert.Single(provider.GetRequiredService<ClerkEmulatorState>().GetProducts()).Name);
    }

    private sealed class StubShop : HttpMessageHandler
    {
        public List<string> Requested { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Add(request.RequestUri!.ToString());
            var json = request.RequestUri.AbsolutePath.EndsWith("/product", StringComparison.Ordinal) ? """[{"id":1,"name":"Stub","price":1}]""" : "[]";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }
    }
}
