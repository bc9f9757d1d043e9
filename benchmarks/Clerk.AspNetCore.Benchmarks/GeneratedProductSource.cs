using System.Runtime.CompilerServices;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// A product source over a catalog that exists only as a count: page n's products are made as they are asked for,
/// as a database reader streams rows, so the feed's own memory is all a run measures.
/// </summary>
internal sealed class GeneratedProductSource : IClerkProductSource
{
    /// <summary>How many products the catalog has (set by the run).</summary>
    public static long Count { get; set; } = 100_000;

    public static ClerkFeedProduct Product(long id) => new()
    {
        Id = id,
        Name = $"Merino wool sweater no. {id}",
        Description = "<p>Soft <b>merino</b> wool, knitted in Portugal.</p><p>Hand wash &amp; dry flat.</p>",
        Price = 499.95m + id % 100,
        ListPrice = id % 3 == 0 ? 599.95m : null,
        Image = $"/images/products/{id}.jpg",
        Url = $"/products/{id}/merino-wool-sweater",
        Categories = [id % 20, 100 + id % 7],
        Brand = "Nordkap",
        Sku = $"NK-{id:D7}",
        Stock = (int)(id % 40),
        CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + id),
    };

    public async IAsyncEnumerable<ClerkFeedProduct> GetPageAsync(ClerkFeedRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = (long)(request.Page - 1) * request.Limit + 1;
        var last = Math.Min(Count, first + request.Limit - 1);
        for (var id = first; id <= last; id++)
        {
            // A database reader completes most reads synchronously from its buffer; so does this.
            if ((id & 255) == 0)
            {
                await Task.Yield();
            }

            yield return Product(id);
        }
    }

    public async IAsyncEnumerable<ClerkFeedProduct> FindAsync(IReadOnlyCollection<ClerkProductId> ids, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var id in ids)
        {
            if (id.IsNumber && id.Number >= 1 && id.Number <= Count)
            {
                yield return Product(id.Number);
            }
        }
    }
}
