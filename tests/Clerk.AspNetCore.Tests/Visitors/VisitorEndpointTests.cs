using System.Net;
using System.Text.Json;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clerk.AspNetCore.Tests.Visitors;

/// <summary><c>GET /clerk/visitor</c>: the visitor for the consent the request carries now.</summary>
public sealed class VisitorEndpointTests
{
    // Cookiebot's accepted and declined values, URL-encoded as Cookiebot writes them.
    private const string Accepted = "CookieConsent=%7Bstamp%3A%27abc%27%2Cnecessary%3Atrue%2Cpreferences%3Atrue%2Cstatistics%3Atrue%2Cmarketing%3Afalse%2Cmethod%3A%27explicit%27%2Cver%3A1%7D";
    private const string Declined = "CookieConsent=%7Bstamp%3A%27abc%27%2Cnecessary%3Atrue%2Cpreferences%3Afalse%2Cstatistics%3Afalse%2Cmarketing%3Afalse%2Cmethod%3A%27explicit%27%2Cver%3A1%7D";

    private static async Task<IHost> StartAsync()
    {
        var host = new HostBuilder()
            .UseEnvironment(Environments.Production)
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    s.AddClerk(o => o.PublicKey = "test-public-key");
                    s.AddClerkConsentTool(ClerkConsentTool.Cookiebot, ClerkConsentCategory.Statistics);
                })
                .Configure(app =>
                {
                    app.UseClerkTracking();
                    app.UseRouting();
                    app.UseEndpoints(e => e.MapClerkTracking());
                }))
            .Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(IHost host, string? cookie)
    {
        var client = host.GetTestServer().CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://shop.example/clerk/visitor");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
        return (response, body);
    }

    [Fact]
    public async Task Get_ConsentAcceptedInTheTool_AnswersAPersistentVisitorAndSetsTheCookie()
    {
        using var host = await StartAsync();

        var (response, body) = await GetAsync(host, Accepted);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Persistent", body.GetProperty("mode").GetString());
        var id = body.GetProperty("visitor").GetString();
        Assert.Matches("^[A-Za-z0-9]{16}$", id);
        Assert.Equal(id, SetCookies.Find(response, "clerk_visitor")?.Value.ToString());
        Assert.True(response.Headers.CacheControl is { NoStore: true, Private: true }, $"Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task Get_ConsentDeclinedInTheTool_AnswersVisitorNullAndDeletesTheCookie()
    {
        using var host = await StartAsync();

        var (response, body) = await GetAsync(host, Declined + "; clerk_visitor=AbC123xyZ0987654");

        Assert.Equal(JsonValueKind.Null, body.GetProperty("visitor").ValueKind);
        Assert.Equal("Denied", body.GetProperty("consent").GetString());
        Assert.True(SetCookies.Find(response, "clerk_visitor") is { } deleted && SetCookies.IsDeletion(deleted));
    }

    [Fact]
    public async Task Get_NoToolCookieYet_AnswersTheCookielessVisitor()
    {
        using var host = await StartAsync();

        var (_, body) = await GetAsync(host, null);

        Assert.Equal("Cookieless", body.GetProperty("mode").GetString());
        Assert.Equal("Undecided", body.GetProperty("consent").GetString());
    }
}
