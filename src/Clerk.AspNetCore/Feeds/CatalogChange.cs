using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// The body of a catalog change in the outbox (kind <c>product</c>, endpoint <c>product/add</c> or
/// <c>product/remove</c>): the product IDs. Never the products' data, which is read from the product source when the
/// change is sent, never a key, and never the address of the request that made the change (its Host header is the
/// client's to choose: a checkout with a forged Host must not rewrite the links Clerk shows).
/// </summary>
internal sealed class CatalogChange
{
    /// <summary>The parent product IDs, with their JSON type.</summary>
    [JsonPropertyName("products")]
    public required IReadOnlyList<ClerkProductId> Products { get; init; }

    /// <summary>
    /// The order of changes queued by one process at the same instant (a fake clock, or a change then a removal in one
    /// request): of two changes to a product, the later one wins, by <see cref="ClerkOutboxMessage.CreatedAt"/> then this.
    /// </summary>
    [JsonPropertyName("seq")]
    public long Sequence { get; init; }

    public static string Write(CatalogChange change) => JsonSerializer.Serialize(change, CatalogJsonContext.Default.CatalogChange);

    /// <summary>Reads a stored change; <see langword="null"/> and why, when it cannot be read.</summary>
    public static CatalogChange? Read(string body, out string? problem)
    {
        try
        {
            var change = JsonSerializer.Deserialize(body, CatalogJsonContext.Default.CatalogChange);
            problem = change?.Products is null ? "the catalog change has no 'products'." : null;
            return problem is null ? change : null;
        }
        catch (JsonException exception)
        {
            problem = $"the catalog change is not valid JSON of product IDs: {exception.Message}";
            return null;
        }
    }
}

/// <summary>The JSON of <see cref="CatalogChange"/>, by source generation.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CatalogChange))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
