using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// A real HTTP server on a loopback port that answers every request with the test's code and keeps each request's
/// body: for what only a real socket shows, such as whether the Clerk client follows a redirect to another host.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _bodies = [];

    private LoopbackServer(WebApplication app) => _app = app;

    /// <summary>The server's address, such as <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The bodies of the requests received so far.</summary>
    public IReadOnlyList<string> Bodies
    {
        get
        {
            lock (_bodies)
            {
                return [.. _bodies];
            }
        }
    }

    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            lock (server._bodies)
            {
                server._bodies.Add(body);
            }

            await respond(context);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address.TrimEnd('/'));
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
