using Clerk.AspNetCore;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;

namespace SampleShop.Recommendations;

/// <summary>
/// Asks Clerk on the server (<see cref="IClerkClient"/>) for the products of a block that the shop renders itself
/// (Clerk calls this an "API setup"), with the visitor and the block's label, and loads them from the shop's database
/// in Clerk's order. A failure shows an empty block, never an error page.
/// </summary>
public sealed partial class ShopRecommendations(IClerkClient clerk, ShopDbContext db, ILogger<ShopRecommendations> logger)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public async Task<IReadOnlyList<Product>> GetAsync(
        HttpContext context, string endpoint, string label, int limit, string? query = null, IReadOnlyList<long>? products = null, string? category = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(Budget);
        try
        {
            var request = new ClerkResultsRequest
            {
                Labels = [label],
                Limit = limit,
                Query = query,
                Products = products?.Select(id => (ClerkProductId)id).ToArray(),
                Category = category,
            };
            var results = endpoint.StartsWith("search/", StringComparison.Ordinal)
                ? await clerk.SearchAsync(endpoint, request, timeout.Token)
                : await clerk.GetRecommendationsAsync(endpoint, request, timeout.Token);

            var ids = results.ProductIds.Where(id => id.IsNumber).Select(id => id.Number).ToArray();
            var found = await db.Products.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, timeout.Token);

            // In Clerk's order: the position is part of what Clerk learns from a click.
            return ids.Where(found.ContainsKey).Select(id => found[id]).ToArray();
        }
        catch (Exception exception) when (exception is ClerkApiException or HttpRequestException or TimeoutException or OperationCanceledException)
        {
            LogFailed(logger, endpoint, exception);
            return [];
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Clerk results from {Endpoint} failed; the block stays empty.")]
    private static partial void LogFailed(ILogger logger, string endpoint, Exception exception);
}
