using Clerk.AspNetCore.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// An in-memory shop host whose server-side Clerk calls go to a Clerk emulator on loopback: <c>UseClerkTracking()</c>,
/// <c>MapClerkTracking()</c>, and one endpoint (<c>/</c>) that runs the test's code in a request. Retries are fast.
/// Logs go to a <see cref="FakeLogCollector"/> (<see cref="Logs"/>); a test may give it a fake clock
/// (the <c>time</c> of <see cref="StartAsync"/>) and a <see cref="ClerkWire"/> in front of the emulator.
/// </summary>
internal sealed class ServerSideHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private ServerSideHost(IHost host)
    {
        _host = host;
        Logs = host.Services.GetFakeLogCollector();
    }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _host.Services;

    public IClerkTracker Tracker => Services.GetRequiredService<IClerkTracker>();

    public static async Task<ServerSideHost> StartAsync(
        ClerkEmulator emulator,
        Action<ClerkOptions>? configure = null,
        RequestDelegate? endpoint = null,
        string environment = "Production",
        Action<IServiceCollection>? services = null,
        TimeSpan? shutdownTimeout = null,
        TimeProvider? time = null,
        ClerkWire? wire = null,
        bool useRateLimiter = false)
    {
        var host = new HostBuilder()
            .UseEnvironment(environment)
            .ConfigureLogging(logging => logging.ClearProviders().AddFakeLogging().SetMinimumLevel(LogLevel.Trace))
            .ConfigureServices(s => s.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10)))
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    s.AddClerk(o =>
                    {
                        o.PublicKey = ClerkEmulatorOptions.DemoPublicKey;
                        o.PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
                        o.ApiBaseUrl = emulator.ApiBaseUrl;
                        o.Delivery.FirstRetryDelay = TimeSpan.FromMilliseconds(20);
                        o.Delivery.MaxRetryDelay = TimeSpan.FromMilliseconds(200);

                        // A shop that decided tracking needs no consent, explicitly (the default is Undecided): these
                        // tests are about delivery, for visitors with a persistent ID.
                        o.DefaultConsent = ClerkConsent.Granted;
                        configure?.Invoke(o);
                    });
                    if (time is not null)
                    {
                        s.AddSingleton(time);
                    }

                    if (wire is not null)
                    {
                        s.AddHttpClient(ClerkOptions.HttpClientName).AddHttpMessageHandler(wire.CreateHandler);
                    }

                    services?.Invoke(s);
                })
                .Configure(app =>
                {
                    app.UseClerkTracking();
                    app.UseRouting();
                    if (useRateLimiter)
                    {
                        app.UseRateLimiter();
                    }

                    app.UseEndpoints(e =>
                    {
                        e.MapClerkTracking();
                        e.Map("/", endpoint ?? (c => Task.CompletedTask));
                    });
                }))
            .Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        return new ServerSideHost(host);
    }

    public HttpClient CreateClient()
    {
        var client = _host.GetTestServer().CreateClient();
        client.BaseAddress = new Uri("http://shop.example/");
        return client;
    }

    /// <summary>Posts a click to the beacon from the client address <paramref name="clientIp"/>, with the given headers.</summary>
    public Task<HttpContext> PostClickAsync(string clientIp, string body = """{"product":104,"labels":["Home - New"]}""", params (string Name, string Value)[] headers) =>
        _host.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Post;
            c.Request.Scheme = "http";
            c.Request.Host = new HostString("shop.example");
            c.Request.Path = "/clerk/click";
            c.Request.ContentType = "text/plain";
            c.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
            c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(clientIp);
            foreach (var (name, value) in headers)
            {
                c.Request.Headers[name] = value;
            }
        });

    /// <summary>Runs the endpoint in a request with the given visitor cookie and headers.</summary>
    public async Task<HttpResponseMessage> RequestAsync(string? visitorCookie = null, params (string Name, string Value)[] headers)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (visitorCookie is not null)
        {
            request.Headers.Add("Cookie", $"clerk_visitor={visitorCookie}");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
