using System.Net;
using System.Text;
using Clerk.AspNetCore.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>
/// An in-memory shop with the data feeds: <c>AddClerk</c> with the test keys, <c>AddClerkFeeds()</c> with the sources
/// over a <see cref="FeedCatalog"/> (products only, unless the test registers more), <c>MapClerkFeeds()</c>. Logs go to
/// a <see cref="FakeLogCollector"/> at Trace; a test may give a clock, an emulator for server-side calls, a path base.
/// </summary>
internal sealed class FeedHost : IAsyncDisposable
{
    public const string PublicKey = "feed-public-key";
    public const string PrivateKey = "feed-private-key-9f3a7c";

    private readonly IHost _host;

    private FeedHost(IHost host)
    {
        _host = host;
        Logs = host.Services.GetFakeLogCollector();
        Catalog = host.Services.GetRequiredService<FeedCatalog>();
    }

    public FakeLogCollector Logs { get; }

    public FeedCatalog Catalog { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<FeedHost> StartAsync(
        Action<ClerkOptions>? configure = null,
        Action<ClerkFeedsBuilder>? feeds = null,
        Action<IServiceCollection>? services = null,
        string environment = "Production",
        TimeProvider? time = null,
        ClerkEmulator? emulator = null,
        string? pathBase = null,
        bool useRateLimiter = false,
        RequestDelegate? endpoint = null)
    {
        var host = new HostBuilder()
            .UseEnvironment(environment)
            .ConfigureLogging(logging => logging.ClearProviders().AddFakeLogging().SetMinimumLevel(LogLevel.Trace))
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    s.AddClerk(o =>
                    {
                        o.PublicKey = emulator is null ? PublicKey : ClerkEmulatorOptions.DemoPublicKey;
                        o.PrivateKey = emulator is null ? PrivateKey : ClerkEmulatorOptions.DemoPrivateKey;
                        o.ClickFallback = false;
                        if (emulator is not null)
                        {
                            o.ApiBaseUrl = emulator.ApiBaseUrl;
                        }

                        configure?.Invoke(o);
                    });
                    s.AddSingleton<FeedCatalog>();
                    var builder = s.AddClerkFeeds();
                    if (feeds is null)
                    {
                        builder.AddProducts<CatalogProductSource>();
                    }
                    else
                    {
                        feeds(builder);
                    }

                    if (time is not null)
                    {
                        s.AddSingleton(time);
                    }

                    services?.Invoke(s);
                })
                .Configure(app =>
                {
                    if (pathBase is not null)
                    {
                        app.UsePathBase(pathBase);
                    }

                    app.UseRouting();
                    if (useRateLimiter)
                    {
                        app.UseRateLimiter();
                    }

                    app.UseEndpoints(e =>
                    {
                        e.MapClerkFeeds();
                        if (endpoint is not null)
                        {
                            e.Map("/", endpoint);
                        }
                    });
                }))
            .Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        return new FeedHost(host);
    }

    public static string Keys => $"key={PublicKey}&private_key={PrivateKey}";

    public HttpClient CreateClient()
    {
        var client = _host.GetTestServer().CreateClient();
        client.BaseAddress = new Uri("http://shop.example/");
        return client;
    }

    /// <summary>GET <c>/clerk/{feed}?{Keys}&amp;{query}</c>.</summary>
    public async Task<HttpResponseMessage> GetAsync(string feed, string query = "", string? keys = null, string prefix = "/clerk")
    {
        using var client = CreateClient();
        var arguments = string.Join('&', new[] { keys ?? Keys, query }.Where(a => a.Length > 0));
        return await client.GetAsync($"{prefix}/{feed}?{arguments}", TestContext.Current.CancellationToken);
    }

    /// <summary>GETs a page and returns its status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetTextAsync(string feed, string query = "", string? keys = null, string prefix = "/clerk")
    {
        using var response = await GetAsync(feed, query, keys, prefix);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Sends a request straight into the server, with a client address (the rate limits are per address).</summary>
    public Task<HttpContext> SendAsync(string pathAndQuery, string clientIp = "203.0.113.7", string method = "GET", string? form = null, params (string Name, string Value)[] headers) =>
        _host.GetTestServer().SendAsync(c =>
        {
            var parts = pathAndQuery.Split('?', 2);
            c.Request.Method = method;
            c.Request.Scheme = "http";
            c.Request.Host = new HostString("shop.example");
            c.Request.Path = parts[0];
            c.Request.QueryString = parts.Length > 1 ? new QueryString("?" + parts[1]) : QueryString.Empty;
            c.Connection.RemoteIpAddress = IPAddress.Parse(clientIp);
            if (form is not null)
            {
                c.Request.ContentType = "application/x-www-form-urlencoded";
                c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(form));
            }

            foreach (var (name, value) in headers)
            {
                c.Request.Headers[name] = value;
            }
        });

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
