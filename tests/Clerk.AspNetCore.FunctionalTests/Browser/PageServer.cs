using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.FunctionalTests.Browser;

/// <summary>Serves the HTML pages a test registers, on its own loopback port (another origin than the emulator's).</summary>
public sealed class PageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pages;

    private PageServer(WebApplication app, ConcurrentDictionary<string, string> pages, Uri baseAddress)
    {
        _app = app;
        _pages = pages;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<PageServer> StartAsync()
    {
        var pages = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/{**path}", (string? path) =>
            pages.TryGetValue("/" + (path ?? string.Empty), out var html)
                ? Results.Content(html, "text/html; charset=utf-8")
                : Results.Content("<!DOCTYPE html><title>Next</title><p>next page</p>", "text/html; charset=utf-8"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new PageServer(app, pages, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Registers a page and returns its address.</summary>
    public Uri Add(string path, string html)
    {
        _pages[path] = html;
        return new Uri(BaseAddress, path.TrimStart('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
