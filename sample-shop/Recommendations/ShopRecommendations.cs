using System.Text.Json;
using System.Text.Json.Serialization;
using Clerk.AspNetCore;
using Microsoft.Extensions.Options;
using SampleShop.Catalog;

namespace SampleShop.Recommendations;

/// <summary>
/// Asks Clerk on the server for the products of a block that the shop renders itself (an "API setup" block), with the
/// visitor and the block's label, as Clerk requires. A stop-gap until the package's typed client: a failure shows an
/// empty block, never an error page.
/// </summary>
public sealed partial class ShopRecommendations(HttpClient http, IOptions<ClerkOptions> options, ShopCatalog catalog, ILogger<ShopRecommendations> logger)
{
    public const string HttpClientName = "clerk";

    public async Task<IReadOnlyList<ShopProduct>> GetAsync(HttpContext context, string endpoint, string label, int limit)
    {
        var clerk = options.Value;
        if (!clerk.Enabled)
        {
            return [];
        }

        var request = new RecommendationRequest(clerk.PublicKey!, context.GetClerkVisitor()?.VisitorId, [label], limit);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var response = await http.PostAsJsonAsync(
                new Uri(clerk.ApiBaseUrl.ToString().TrimEnd('/') + "/" + endpoint), request, ShopJsonContext.Default.RecommendationRequest, timeout.Token);
            var result = await response.Content.ReadFromJsonAsync(ShopJsonContext.Default.RecommendationResponse, timeout.Token);
            return result?.Result?.Select(id => id.ValueKind == JsonValueKind.Number ? catalog.Find(id.GetInt64()) : null)
                .OfType<ShopProduct>().ToArray() ?? [];
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException or NotSupportedException)
        {
            LogFailed(logger, endpoint, exception);
            return [];
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Clerk recommendations from {Endpoint} failed; the block stays empty.")]
    private static partial void LogFailed(ILogger logger, string endpoint, Exception exception);
}

public sealed record RecommendationRequest(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("visitor")] string? Visitor,
    [property: JsonPropertyName("labels")] string[] Labels,
    [property: JsonPropertyName("limit")] int Limit);

public sealed record RecommendationResponse([property: JsonPropertyName("result")] JsonElement[]? Result);

[JsonSerializable(typeof(RecommendationRequest))]
[JsonSerializable(typeof(RecommendationResponse))]
internal sealed partial class ShopJsonContext : JsonSerializerContext;
