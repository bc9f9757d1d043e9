using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Testing.Tests.Import;

/// <summary>One request for a feed page, as the shop's feed endpoint saw it.</summary>
internal sealed record FeedPageRequest(string Feed, int Page, int Limit, string? Key, string? PrivateKey);

/// <summary>
/// A stand-in shop on a loopback port that serves Clerk data feeds in the wire format
/// (<c>GET /clerk/{feed}?key=&amp;private_key=&amp;page=&amp;limit=</c>): by default pages cut from in-memory lists, with
/// the demo keys; a test can answer any page its own way with <see cref="Serve"/>.
/// </summary>
internal sealed class FeedHost : IAsyncDisposable
{
    public const string ForbiddenMessage = "Invalid Authentication, please provide valid credentials.";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FeedPageRequest> _requests = new();

    private FeedHost(WebApplication app, Uri root)
    {
        _app = app;
        BaseUrl = new Uri(root, "clerk");
    }

    /// <summary>The feeds' base address, such as <c>http://127.0.0.1:41234/clerk</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The items of each feed; a feed without an entry answers 404.</summary>
    public Dictionary<string, List<JsonNode>> Feeds { get; } = new(StringComparer.Ordinal);

    /// <summary>The key pairs the feeds accept (public key → private key): the default demo store's, unless a test adds more.</summary>
    public Dictionary<string, string> AcceptedKeys { get; } = new(StringComparer.Ordinal)
    {
        [ClerkEmulatorOptions.DemoPublicKey] = ClerkEmulatorOptions.DemoPrivateKey,
    };

    /// <summary>Answers a page instead of the lists (after the key check), or returns null to fall back to them.</summary>
    public Func<FeedPageRequest, IResult?>? Serve { get; set; }

    /// <summary>Every page request, in order.</summary>
    public IReadOnlyList<FeedPageRequest> Requests => [.. _requests];

    public static async Task<FeedHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FeedHost? host = null;
        app.MapGet("/clerk/{feed}", (string feed, HttpContext context) => host!.Answer(feed, context));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        host = new FeedHost(app, new Uri(address.TrimEnd('/') + "/"));
        return host;
    }

    /// <summary>Products <c>{"id":n,"name":"Product n","price":n}</c> for each ID.</summary>
    public static List<JsonNode> Products(IEnumerable<int> ids) =>
        [.. ids.Select(id => (JsonNode)new JsonObject { ["id"] = id, ["name"] = $"Product {id}", ["price"] = id + 0.5m })];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private IResult Answer(string feed, HttpContext context)
    {
        var query = context.Request.Query;
        var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var p) ? p : 1;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 100;
        var request = new FeedPageRequest(feed, page, limit, query["key"], query["private_key"]);
        _requests.Enqueue(request);

        if (request.Key is null || !AcceptedKeys.TryGetValue(request.Key, out var privateKey) || request.PrivateKey != privateKey)
        {
            return Error(StatusCodes.Status403Forbidden, ForbiddenMessage);
        }

        if (Serve?.Invoke(request) is { } served)
        {
            return served;
        }

        if (!Feeds.TryGetValue(feed, out var items))
        {
            return Error(StatusCodes.Status404NotFound, "Not found.");
        }

        return Page(items.Skip((page - 1) * limit).Take(limit));
    }

    /// <summary>A page of items as the feeds answer it.</summary>
    public static IResult Page(IEnumerable<JsonNode> items) =>
        Results.Content(new JsonArray([.. items.Select(i => i.DeepClone())]).ToJsonString(), "application/json; charset=utf-8");

    /// <summary>The feeds' error body: <c>{"error":{"code":403,"message":"…"}}</c>.</summary>
    public static IResult Error(int code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: code);
}
