using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>The shop's catalog for the sync tests: products by ID, changed by the test, and every lookup sync made.</summary>
internal sealed class SyncCatalog
{
    private readonly ConcurrentDictionary<ClerkProductId, ClerkFeedProduct> _products = new();
    private readonly ConcurrentQueue<IReadOnlyCollection<ClerkProductId>> _lookups = new();

    public IReadOnlyList<IReadOnlyCollection<ClerkProductId>> Lookups => [.. _lookups];

    /// <summary>Products returned by FindAsync although not asked for (a source whose IDs disagree with the sync's).</summary>
    public List<ClerkFeedProduct> Extra { get; } = [];

    public void Set(ClerkProductId id, decimal price, string? url = null) =>
        _products[id] = new ClerkFeedProduct { Id = id, Name = $"Product {id}", Price = price, Url = url };

    public void Set(ClerkFeedProduct product) => _products[product.Id] = product;

    public void Remove(ClerkProductId id) => _products.TryRemove(id, out _);

    public IEnumerable<ClerkFeedProduct> Find(IReadOnlyCollection<ClerkProductId> ids)
    {
        _lookups.Enqueue([.. ids]);
        foreach (var id in ids)
        {
            if (_products.TryGetValue(id, out var product))
            {
                yield return product;
            }
        }

        foreach (var extra in Extra)
        {
            yield return extra;
        }
    }

    public IEnumerable<ClerkFeedProduct> All => _products.Values.OrderBy(p => p.Id.IsNumber ? p.Id.Number : 0);
}

/// <summary>A product source over <see cref="SyncCatalog"/>, registered scoped as a shop's would be.</summary>
internal sealed class SyncProductSource(SyncCatalog catalog) : IClerkProductSource
{
    public async IAsyncEnumerable<ClerkFeedProduct> GetPageAsync(ClerkFeedRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var product in catalog.All.Skip((request.Page - 1) * request.Limit).Take(request.Limit))
        {
            yield return product;
        }
    }

    public async IAsyncEnumerable<ClerkFeedProduct> FindAsync(IReadOnlyCollection<ClerkProductId> ids, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var product in catalog.Find(ids))
        {
            yield return product;
        }
    }
}

/// <summary>
/// Every call the Clerk <see cref="HttpClient"/> sends, as sent (private key included, which the emulator redacts in
/// its own record), with its answer's status.
/// </summary>
internal sealed class ClerkCallRecorder
{
    private readonly ConcurrentQueue<(string Endpoint, string Body, int Status)> _calls = new();
    private readonly Func<string, HttpResponseMessage?>? _answer;

    public ClerkCallRecorder(Func<string, HttpResponseMessage?>? answer = null) => _answer = answer;

    public IReadOnlyList<(string Endpoint, string Body, int Status)> Calls => [.. _calls];

    public IReadOnlyList<JsonObject> Bodies(string endpoint, bool succeeded = true) =>
        [.. Calls.Where(c => c.Endpoint == endpoint && (!succeeded || c.Status == 200)).Select(c => JsonNode.Parse(c.Body)!.AsObject())];

    /// <summary>The product IDs of the successful calls to <paramref name="endpoint"/>, call by call, as JSON text.</summary>
    public IReadOnlyList<string[]> ProductIds(string endpoint) =>
        [.. Bodies(endpoint).Select(b => b["products"]!.AsArray().Select(p => (p is JsonObject o ? o["id"] : p)!.ToJsonString()).ToArray())];

    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(ClerkCallRecorder recorder) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var endpoint = path[(path.IndexOf("/v2/", StringComparison.Ordinal) + 4)..];
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = recorder._answer?.Invoke(endpoint) ?? await base.SendAsync(request, cancellationToken);
            recorder._calls.Enqueue((endpoint, body, (int)response.StatusCode));
            return response;
        }
    }

    public static HttpResponseMessage Ok() => new(HttpStatusCode.OK)
    {
        Content = new StringContent("""{"status":"ok"}""", Encoding.UTF8, "application/json"),
    };

    public static HttpResponseMessage Refused(string type, string message) => new(HttpStatusCode.BadRequest)
    {
        Content = new StringContent($$"""{"status":"error","type":"{{type}}","message":"{{message}}"}""", Encoding.UTF8, "application/json"),
    };
}
