using Clerk.AspNetCore.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// An in-memory shop host whose server-side Clerk calls go to a Clerk emulator on loopback: <c>UseClerkTracking()</c>,
/// <c>MapClerkTracking()</c>, and one endpoint (<c>/</c>) that runs the test's code in a request. Retries are fast.
/// </summary>
internal sealed class ServerSideHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private ServerSideHost(IHost host, CapturingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
    }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _host.Services;

    public IClerkTracker Tracker => Services.GetRequiredService<IClerkTracker>();

    public static async Task<ServerSideHost> StartAsync(
        ClerkEmulator emulator,
        Action<ClerkOptions>? configure = null,
        RequestDelegate? endpoint = null,
        string environment = "Production",
        Action<IServiceCollection>? services = null,
        TimeSpan? shutdownTimeout = null)
    {
        var logs = new CapturingLoggerProvider();
        var host = new HostBuilder()
            .UseEnvironment(environment)
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
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
                        configure?.Invoke(o);
                    });
                    services?.Invoke(s);
                })
                .Configure(app =>
                {
                    app.UseClerkTracking();
                    app.UseRouting();
                    app.UseEndpoints(e =>
                    {
                        e.MapClerkTracking();
                        e.Map("/", endpoint ?? (c => Task.CompletedTask));
                    });
                }))
            .Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        return new ServerSideHost(host, logs);
    }

    public HttpClient CreateClient()
    {
        var client = _host.GetTestServer().CreateClient();
        client.BaseAddress = new Uri("http://shop.example/");
        return client;
    }

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

/// <summary>Waits for something that happens in the background, such as a delivery reaching the emulator.</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        GetAsync(() => condition() ? string.Empty : null, what, timeout);
}
