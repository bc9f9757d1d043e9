using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>
/// The shop's data as the test sources see it (a singleton of the test host), with what the feeds asked for and the
/// faults a test wants: a source that throws at the n-th item of a page, or returns more than the limit.
/// </summary>
internal sealed class FeedCatalog
{
    private readonly Lock _lock = new();
    private readonly List<ClerkFeedProduct> _products = [];
    private readonly Dictionary<int, ClerkProductId> _lastOfPage = [];

    public List<ClerkFeedCategory> Categories { get; } = [];

    public List<ClerkFeedOrder> Orders { get; } = [];

    public List<ClerkFeedCustomer> Customers { get; } = [];

    /// <summary>Every page the feeds asked a source for, with the feed's name.</summary>
    public ConcurrentQueue<(string Feed, ClerkFeedRequest Request)> Requests { get; } = new();

    /// <summary>When set, the sources throw at this item of a page (0 is the first).</summary>
    public int? FailAt { get; set; }

    /// <summary>How many items more than the limit the sources return.</summary>
    public int Extra { get; set; }

    public static ClerkFeedProduct Product(long id, string? url = null, string? image = null) => new()
    {
        Id = id,
        Name = $"Product {id}",
        Description = $"The <b>{id}</b>th product.",
        Price = 10m + id % 100,
        ListPrice = id % 3 == 0 ? 20m + id % 100 : null,
        Image = image ?? $"/images/{id}.jpg",
        Url = url ?? $"/products/{id}",
        Categories = [id % 7, id % 11 + 100],
        Brand = "Brand " + id % 5,
        Sku = $"SKU-{id:D6}",
        Stock = (int)(id % 13),
        CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + id),
    };

    public void AddProducts(IEnumerable<ClerkFeedProduct> products)
    {
        lock (_lock)
        {
            _products.AddRange(products);
            _products.Sort((a, b) => Compare(a.Id, b.Id));
        }
    }

    public void AddProducts(long from, int count) => AddProducts(Enumerable.Range(0, count).Select(i => Product(from + i)));

    public IReadOnlyList<ClerkFeedProduct> Products()
    {
        lock (_lock)
        {
            return [.. _products];
        }
    }

    /// <summary>
    /// A keyset page, like a database source's: page n holds the products after the last one of page n - 1 (when the
    /// importer skipped a page, after the first (n - 1) × limit), so products added meanwhile shift nothing.
    /// </summary>
    public IReadOnlyList<ClerkFeedProduct> ProductPage(ClerkFeedRequest request)
    {
        lock (_lock)
        {
            IEnumerable<ClerkFeedProduct> page = request.Page == 1
                ? _products
                : _lastOfPage.TryGetValue(request.Page - 1, out var last)
                    ? _products.Where(p => Compare(p.Id, last) > 0)
                    : _products.Skip((request.Page - 1) * request.Limit);
            var items = page.Take(request.Limit + Extra).ToList();
            if (items.Count > 0)
            {
                _lastOfPage[request.Page] = items[Math.Min(items.Count, request.Limit) - 1].Id;
            }

            return items;
        }
    }

    /// <summary>Yields <paramref name="items"/> one by one, asynchronously, failing where the test said.</summary>
    public async IAsyncEnumerable<T> Stream<T>(string feed, ClerkFeedRequest request, IReadOnlyList<T> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Requests.Enqueue((feed, request));
        for (var i = 0; i < items.Count; i++)
        {
            if (i % 256 == 0)
            {
                await Task.Yield();
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (i == FailAt)
            {
                throw new InvalidOperationException($"The catalog database is down (item {i} of page {request.Page}); server=db.internal;user=shop");
            }

            yield return items[i];
        }
    }

    public IReadOnlyList<T> OffsetPage<T>(IEnumerable<T> items, ClerkFeedRequest request) =>
        items.Skip((request.Page - 1) * request.Limit).Take(request.Limit + Extra).ToList();

    /// <summary>Numbers before strings, numbers by value, strings by ordinal: the order of a feed with either type.</summary>
    public static int Compare(ClerkProductId a, ClerkProductId b) =>
        a.IsNumber && b.IsNumber ? a.Number.CompareTo(b.Number)
        : a.IsNumber != b.IsNumber ? (a.IsNumber ? -1 : 1)
        : string.CompareOrdinal(a.ToString(), b.ToString());
}

internal sealed class CatalogProductSource(FeedCatalog catalog) : IClerkProductSource
{
    public IAsyncEnumerable<ClerkFeedProduct> GetPageAsync(ClerkFeedRequest request, CancellationToken cancellationToken) =>
        catalog.Stream("product", request, catalog.ProductPage(request), cancellationToken);

    public async IAsyncEnumerable<ClerkFeedProduct> FindAsync(IReadOnlyCollection<ClerkProductId> ids, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var product in catalog.Products().Where(p => ids.Contains(p.Id)))
        {
            yield return product;
        }
    }
}

internal sealed class CatalogCategorySource(FeedCatalog catalog) : IClerkFeedSource<ClerkFeedCategory>
{
    public IAsyncEnumerable<ClerkFeedCategory> GetPageAsync(ClerkFeedRequest request, CancellationToken cancellationToken) =>
        catalog.Stream("category", request, catalog.OffsetPage(catalog.Categories, request), cancellationToken);
}

internal sealed class CatalogOrderSource(FeedCatalog catalog) : IClerkFeedSource<ClerkFeedOrder>
{
    public IAsyncEnumerable<ClerkFeedOrder> GetPageAsync(ClerkFeedRequest request, CancellationToken cancellationToken) =>
        catalog.Stream(
            "order",
            request,
            catalog.OffsetPage(catalog.Orders.Where(o => (request.StartDate is not { } from || o.Time >= from) && (request.EndDate is not { } to || o.Time < to)), request),
            cancellationToken);
}

internal sealed class CatalogCustomerSource(FeedCatalog catalog) : IClerkFeedSource<ClerkFeedCustomer>
{
    public IAsyncEnumerable<ClerkFeedCustomer> GetPageAsync(ClerkFeedRequest request, CancellationToken cancellationToken) =>
        catalog.Stream("customer", request, catalog.OffsetPage(catalog.Customers, request), cancellationToken);
}

/// <summary>Accepts the token <see cref="GoodToken"/> for the store it was given, and remembers what it was asked.</summary>
internal sealed class TestTokenVerifier : IClerkFeedTokenVerifier
{
    public const string GoodToken = "eyJhbGciOiJIUzI1NiJ9.good.signature";

    public ConcurrentQueue<(string Token, string PublicKey)> Calls { get; } = new();

    public ValueTask<bool> VerifyAsync(string token, string publicKey, CancellationToken cancellationToken)
    {
        Calls.Enqueue((token, publicKey));
        return ValueTask.FromResult(token == GoodToken);
    }
}
