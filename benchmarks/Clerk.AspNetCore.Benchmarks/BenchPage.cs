using System.Globalization;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>The model of the views in <c>Views/Bench</c>: what a shop's page has when it renders these blocks.</summary>
public sealed class BenchPage
{
    public BenchPage(int products, int saleLines)
    {
        ProductIds = Enumerable.Range(1000, products).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        Lines = Enumerable.Range(0, saleLines).Select(i => new ClerkSaleLine(1000 + i, 99.95m + i, 1 + (i % 3))).ToArray();
    }

    public string PublicKey { get; } = "bench-public-key";

    public string VisitorId { get; } = "AbC123xyZ0987654";

    public string Labels { get; } = "Home - Trending";

    public IReadOnlyList<string> ProductIds { get; }

    public string OrderId { get; } = "NG-10001";

    public string Email { get; } = "buyer@example.com";

    public IReadOnlyList<ClerkSaleLine> Lines { get; }
}
