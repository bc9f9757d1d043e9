using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Deterministic recommendation and search results from the emulator's catalog and what it has recorded. The
/// rankings are stand-ins, not Clerk's AI: simple, documented rules, so tests can predict them.
/// </summary>
/// <param name="state">What the emulator recorded.</param>
/// <param name="catalog">One snapshot of the catalog, for the whole call.</param>
/// <param name="now">The emulator's clock, for the recent window of <c>trending</c>.</param>
internal sealed class EmulatorResults(ClerkEmulatorState state, IReadOnlyList<ClerkEmulatorProduct> catalog, DateTimeOffset now)
{
    /// <summary>Predictive search answers at most this many results, as Clerk documents.</summary>
    public const int PredictiveLimit = 10;

    /// <summary>How far back <c>trending</c> counts clicks, views and sales.</summary>
    public static readonly TimeSpan TrendingWindow = TimeSpan.FromDays(7);

    /// <summary>The ranked products of a <c>recommendations/…</c> endpoint, before exclude, offset and limit.</summary>
    public IEnumerable<ClerkEmulatorProduct> Recommend(string kind, JsonElement args)
    {
        var visitor = EmulatorJson.Argument(args, "visitor");
        var category = EmulatorJson.Argument(args, "category");
        var given = ProductIds(args);

        var inCategory = category is null ? catalog : catalog.Where(p => p.Categories.Contains(category, StringComparer.Ordinal)).ToList();
        var withoutCategory = kind.StartsWith("category/", StringComparison.Ordinal) ? kind["category/".Length..] : kind;

        switch (withoutCategory)
        {
            case "trending":
                // What is hot now, unlike popular (best sellers of all time): clicks, views and units sold in the
                // recent window, and the newest products first among equals, so the two differ even on a quiet shop.
                return ByCount(Newest(inCategory), state.RecentActivity(now - TrendingWindow));
            case "new":
                return Newest(inCategory);
            case "complementary" or "most_sold_with" or "bundle":
                return Complementary(given);
            case "substituting":
                return Substituting(given);
            case "visitor/history":
                return Known(visitor is null ? [] : state.VisitorHistory(visitor));
            case "visitor/complementary":
                return Complementary(visitor is null ? [] : state.VisitorHistory(visitor).ToHashSet(StringComparer.Ordinal));
            case "visitor/substituting":
                return Substituting(visitor is null ? [] : state.VisitorHistory(visitor).ToHashSet(StringComparer.Ordinal));
            case "customer/history":
                return Known(state.CustomerHistory(EmulatorJson.Argument(args, "email"), EmulatorJson.Argument(args, "customer")));
            case "customer/complementary":
                return Complementary(state.CustomerHistory(EmulatorJson.Argument(args, "email"), EmulatorJson.Argument(args, "customer")).ToHashSet(StringComparer.Ordinal));
            default:
                // popular, recently_bought, currently_watched, keywords, page/*, … : best sellers first.
                return ByCount(inCategory, state.SoldQuantities());
        }
    }

    /// <summary>Products whose name or brand contains the query, case-insensitively, in catalog order.</summary>
    public List<ClerkEmulatorProduct> Search(string query) =>
        catalog.Where(p => p.Name.Contains(query, StringComparison.OrdinalIgnoreCase)
                || (p.Brand?.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false))
            .ToList();

    /// <summary>The <c>result</c> array: IDs in their catalog JSON type.</summary>
    public static JsonArray Ids(IEnumerable<ClerkEmulatorProduct> products) =>
        new(products.Select(p => p.IsNumericId
            ? (JsonNode)JsonValue.Create(long.Parse(p.Id, CultureInfo.InvariantCulture))
            : JsonValue.Create(p.Id)).ToArray());

    /// <summary>
    /// The <c>product_data</c> array for the requested <c>attributes</c>: the feed's fields by their feed names, and
    /// the product's extra fields; an attribute the product lacks is null.
    /// </summary>
    public static JsonArray ProductData(IEnumerable<ClerkEmulatorProduct> products, IReadOnlyList<string> attributes) =>
        new(products.Select(p =>
        {
            var data = new JsonObject();
            foreach (var attribute in attributes)
            {
                data[attribute] = CatalogJson.Attribute(p, attribute);
            }

            return (JsonNode)data;
        }).ToArray());

    /// <summary>Newest first: by <c>created_at</c>, then later in the catalog first (products without a date last).</summary>
    private static IEnumerable<ClerkEmulatorProduct> Newest(IEnumerable<ClerkEmulatorProduct> products) =>
        products.Select((p, index) => (p, index))
            .OrderByDescending(x => x.p.CreatedAt ?? DateTimeOffset.MinValue)
            .ThenByDescending(x => x.index)
            .Select(x => x.p);

    private IEnumerable<ClerkEmulatorProduct> Complementary(IReadOnlySet<string> given)
    {
        var together = state.BoughtTogetherWith(given);
        var givenCategories = GivenCategories(given);
        return catalog.Where(p => !given.Contains(p.Id))
            .Select((p, index) => (p, index))
            .OrderByDescending(x => together.GetValueOrDefault(x.p.Id))
            .ThenBy(x => x.p.Categories.Any(givenCategories.Contains) ? 1 : 0)
            .ThenBy(x => x.index)
            .Select(x => x.p);
    }

    private IEnumerable<ClerkEmulatorProduct> Substituting(IReadOnlySet<string> given)
    {
        var givenCategories = GivenCategories(given);
        return catalog.Where(p => !given.Contains(p.Id))
            .Select((p, index) => (p, index))
            .OrderBy(x => x.p.Categories.Any(givenCategories.Contains) ? 0 : 1)
            .ThenBy(x => x.index)
            .Select(x => x.p);
    }

    private HashSet<string> GivenCategories(IReadOnlySet<string> given) =>
        catalog.Where(p => given.Contains(p.Id)).SelectMany(p => p.Categories).ToHashSet(StringComparer.Ordinal);

    private IEnumerable<ClerkEmulatorProduct> Known(IEnumerable<string> ids)
    {
        var byId = catalog.ToDictionary(p => p.Id, StringComparer.Ordinal);
        return ids.Where(byId.ContainsKey).Select(id => byId[id]);
    }

    private static IEnumerable<ClerkEmulatorProduct> ByCount(IEnumerable<ClerkEmulatorProduct> products, Dictionary<string, int> counts) =>
        products.Select((p, index) => (p, index))
            .OrderByDescending(x => counts.GetValueOrDefault(x.p.Id))
            .ThenBy(x => x.index)
            .Select(x => x.p);

    private static HashSet<string> ProductIds(JsonElement args) =>
        args.TryGetProperty("products", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(EmulatorJson.ScalarText).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];

}
