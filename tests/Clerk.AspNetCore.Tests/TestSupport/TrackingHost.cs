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
/// An in-memory host with <c>UseClerkTracking()</c> in its pipeline. Its endpoint answers with the request's visitor
/// as <c>mode|visitorId|consent|isNew</c> (or <c>none</c>), so tests can assert on the feature and the headers.
/// </summary>
internal sealed class TrackingHost : IAsyncDisposable
{
    public const string PublicKey = "test-public-key";

    private readonly IHost _host;

    private TrackingHost(IHost host)
    {
        _host = host;
        Logs = host.Services.GetFakeLogCollector();
    }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<TrackingHost> StartAsync(
        Action<ClerkOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<IApplicationBuilder>? beforeTracking = null,
        RequestDelegate? endpoint = null,
        string environment = "Production")
    {
        var host = new HostBuilder()
            .UseEnvironment(environment)
            .ConfigureLogging(logging => logging.ClearProviders().AddFakeLogging().SetMinimumLevel(LogLevel.Trace))
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddClerk(o =>
                    {
                        o.PublicKey = PublicKey;
                        configure?.Invoke(o);
                    });
                    services?.Invoke(s);
                })
                .Configure(app =>
                {
                    beforeTracking?.Invoke(app);
                    app.UseClerkTracking();
                    app.Run(endpoint ?? WriteVisitor);
                }))
            .Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        return new TrackingHost(host);
    }

    /// <summary>
    /// A host for a shop that has decided Clerk's tracking needs no consent, and says so: <c>DefaultConsent</c> is
    /// <see cref="ClerkConsent.Granted"/> (the package's default is <see cref="ClerkConsent.Undecided"/>), so a
    /// visitor with no other consent source gets the persistent cookie.
    /// </summary>
    public static Task<TrackingHost> StartGrantedAsync(
        Action<ClerkOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<IApplicationBuilder>? beforeTracking = null,
        RequestDelegate? endpoint = null,
        string environment = "Production") =>
        StartAsync(
            o =>
            {
                o.DefaultConsent = ClerkConsent.Granted;
                configure?.Invoke(o);
            },
            services,
            beforeTracking,
            endpoint,
            environment);

    public static Task WriteVisitor(HttpContext context)
    {
        var visitor = context.GetClerkVisitor();
        var text = visitor is null
            ? "none"
            : $"{visitor.Mode}|{visitor.VisitorId}|{visitor.Consent}|{visitor.IsNewVisitor}";
        return context.Response.WriteAsync(text);
    }

    public Task<HttpResponseMessage> GetAsync(
        string path = "/",
        string? cookie = null,
        bool https = false,
        params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Get, path, cookie, https, headers);

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path = "/",
        string? cookie = null,
        bool https = false,
        params (string Name, string Value)[] headers)
    {
        var client = _host.GetTestServer().CreateClient();
        client.BaseAddress = new Uri(https ? "https://shop.example/" : "http://shop.example/");
        using var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<VisitorSnapshot> GetVisitorAsync(string path = "/", string? cookie = null, params (string Name, string Value)[] headers)
    {
        using var response = await GetAsync(path, cookie, false, headers);
        return await VisitorSnapshot.ReadAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>What <see cref="TrackingHost.WriteVisitor"/> wrote, parsed back.</summary>
internal sealed record VisitorSnapshot(ClerkVisitorMode? Mode, string? VisitorId, ClerkConsent? Consent, bool IsNewVisitor, string Body)
{
    public static async Task<VisitorSnapshot> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (body == "none")
        {
            return new VisitorSnapshot(null, null, null, false, body);
        }

        var parts = body.Split('|');
        Assert.True(parts.Length == 4, $"Unexpected body: {body}");
        return new VisitorSnapshot(
            Enum.Parse<ClerkVisitorMode>(parts[0]),
            parts[1].Length == 0 ? null : parts[1],
            Enum.Parse<ClerkConsent>(parts[2]),
            bool.Parse(parts[3]),
            body);
    }
}
