using System.Text.Json;

namespace Clerk.AspNetCore;

/// <summary>
/// Products Clerk chose, in Clerk's order, with what is needed to render them click-tracked: pass
/// <see cref="Endpoint"/> and <see cref="Labels"/> to <c>&lt;clerk-results api labels&gt;</c> and each product's
/// position to <c>clerk-position</c>.
/// </summary>
public sealed class ClerkResults
{
    internal ClerkResults(string endpoint, IReadOnlyList<string> labels, IReadOnlyList<ClerkProductId> productIds, IReadOnlyList<JsonElement> productData, int? count, int? hits)
    {
        Endpoint = endpoint;
        Labels = labels;
        ProductIds = productIds;
        ProductData = productData;
        Count = count;
        Hits = hits;
    }

    /// <summary>The endpoint that produced the results, such as <c>recommendations/popular</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The labels the results were asked for with.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The product IDs, in Clerk's order, of the type your product feed uses.</summary>
    public IReadOnlyList<ClerkProductId> ProductIds { get; }

    /// <summary>For each product, the attributes asked for with <see cref="ClerkResultsRequest.Attributes"/> (a JSON object); otherwise empty.</summary>
    public IReadOnlyList<JsonElement> ProductData { get; }

    /// <summary>How many products there are in all, when Clerk says.</summary>
    public int? Count { get; }

    /// <summary>How many products matched a search, when Clerk says.</summary>
    public int? Hits { get; }
}
