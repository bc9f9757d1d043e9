using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The endpoints that answer products: <c>recommendations/…</c> and <c>search/…</c>. They share the paging rules
/// and the deterministic stand-in rankings of <see cref="EmulatorResults"/>.
/// </summary>
internal sealed class ResultEndpoints(EmulatorCallChecks checks, ClerkEmulatorState state, TimeProvider time)
{
    public const string RecommendationsPrefix = "recommendations/";

    public IEnumerable<KeyValuePair<string, Func<EmulatorCall, EmulatorResponse>>> Routes =>
    [
        new("search/search", c => Search(c, predictive: false)),
        new("search/predictive", c => Search(c, predictive: true)),
    ];

    /// <summary>Answers a <c>recommendations/…</c> call with the ranking of its kind.</summary>
    /// <param name="call">The call being handled.</param>
    /// <param name="kind">The path after <c>recommendations/</c>, such as <c>popular</c> or <c>visitor/history</c>.</param>
    public EmulatorResponse Recommendations(EmulatorCall call, string kind)
    {
        string[] required = kind switch
        {
            "complementary" or "substituting" or "most_sold_with" => ["limit", "products"],
            _ when kind.StartsWith("category/", StringComparison.Ordinal) => ["limit", "category"],
            _ when kind.StartsWith("visitor/", StringComparison.Ordinal) => ["limit", "visitor"],
            _ when kind.StartsWith("customer/", StringComparison.Ordinal) => ["limit", "email"],
            _ => ["limit"],
        };

        if ((checks.Public(call, required) ?? (required.Contains("products") ? checks.ProductList(call, "products") : null)) is { } invalid)
        {
            return invalid;
        }

        if (EmulatorPaging.Read(call.Arguments, out var paging) is { } invalidPaging)
        {
            return invalidPaging;
        }

        if (kind.StartsWith("visitor/", StringComparison.Ordinal) && call.Visitor is null or "auto")
        {
            return EmulatorResponse.Logical($"recommendations/{kind} needs the visitor's own ID; 'auto' and null have no history.");
        }

        var ranked = paging.WithoutExcluded(Results().Recommend(kind, call.Arguments));
        return paging.Answer(ranked, new JsonObject { ["count"] = ranked.Count });
    }

    private EmulatorResponse Search(EmulatorCall call, bool predictive)
    {
        if (checks.Public(call, "limit") is { } invalid)
        {
            return invalid;
        }

        if (EmulatorPaging.Read(call.Arguments, out var paging) is { } invalidPaging)
        {
            return invalidPaging;
        }

        if (!call.Arguments.TryGetProperty("query", out var queryValue) || queryValue.ValueKind != JsonValueKind.String)
        {
            return EmulatorResponse.Parsing("Missing Argument query");
        }

        var query = queryValue.GetString()!;
        var matches = paging.WithoutExcluded(Results().Search(query));
        if (predictive)
        {
            paging = paging with { Limit = Math.Min(paging.Limit, EmulatorResults.PredictiveLimit) };
        }

        var extra = new JsonObject { ["hits"] = matches.Count, ["no_exact_match"] = matches.Count == 0 };
        if (predictive)
        {
            extra["query"] = query;
        }
        else
        {
            extra["count"] = matches.Count;
            extra["facets"] = new JsonObject();
        }

        return paging.Answer(matches, extra);
    }

    // One snapshot of the catalog per call: product/add, product/remove or an import may change it meanwhile.
    private EmulatorResults Results() => new(state, state.GetProducts(), time.GetUtcNow());
}
