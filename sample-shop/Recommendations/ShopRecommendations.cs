using System.Text.Json;
using System.Text.Json.Serialization;
using Clerk.AspNetCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SampleShop.Data;

namespace SampleShop.Recommendations;

/// <summary>
/// Asks Clerk on the server for the products of a block that the shop renders itself (Clerk calls this an "API
/// setup"), with the visitor and the block's label, as Clerk requires. A failure shows an empty block, never an
/// error page.
/// </summary>
public sealed partial class ShopRecommendations(HttpClient http, IOptions<ClerkOptions> options, ShopDbContext db, ILogger<ShopRecommendations> logger)
{
    public const string HttpClientName = "clerk";

    public async Task<IReadOnlyList<Product>> GetAsync(HttpContext context, string endpoint, string label, int limit, string? query = null)
    {
        var clerk = options.Value;
        if (!clerk.Enabled)
        {
            return [];
        }

        var request = new ResultsRequest(clerk.PublicKey!, context.GetClerkVisitor()?.VisitorId, [label], limit, query);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var response = await http.PostAsJsonAsync(
                new Uri(clerk.ApiBaseUrl.ToString().TrimEnd('/') + "/" + endpoint), request, ShopJsonContext.Default.ResultsRequest, timeout.Token);
            var result = await response.Content.ReadFromJsonAsync(ShopJsonContext.Default.ResultsResponse, timeout.Token);
            var ids = result?.Result?.Select(id => id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number) ? number : (long?)null)
                .OfType<long>().ToArray() ?? [];
            var products = await db.Products.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, timeout.Token);

            // In Clerk's order: the position is part of what Clerk learns from a click.
            return ids.Where(products.ContainsKey).Select(id => products[id]).ToArray();
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException or NotSupportedException)
        {
            LogFailed(logger, endpoint, exception);
            return [];
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Clerk results from {Endpoint} failed; the block stays empty.")]
    private static partial void LogFailed(ILogger logger, string endpoint, Exception exception);
}

public sealed record ResultsRequest(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("visitor")] string? Visitor,
    [property: JsonPropertyName("labels")] string[] Labels,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("query"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Query);

public sealed record ResultsResponse([property: JsonPropertyName("result")] JsonElement[]? Result);

[JsonSerializable(typeof(ResultsRequest))]
[JsonSerializable(typeof(ResultsResponse))]
internal sealed partial class ShopJsonContext : JsonSerializerContext;
