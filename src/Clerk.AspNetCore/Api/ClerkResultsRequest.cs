namespace Clerk.AspNetCore;

/// <summary>
/// What to ask a Clerk recommendation or search endpoint for. <see cref="Labels"/> is required: Clerk attributes
/// clicks and sales to the label of the element that showed the results.
/// </summary>
public sealed class ClerkResultsRequest
{
    /// <summary>The label of the element that shows the results, for example <c>["Home - Trending"]</c>.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>How many products to return; 1 to 1000 (Clerk's predictive search returns at most 10).</summary>
    /// <value>Defaults to 12.</value>
    public int Limit { get; init; } = 12;

    /// <summary>How many products to skip, for paging.</summary>
    public int Offset { get; init; }

    /// <summary>The search query, for <c>search/*</c>.</summary>
    public string? Query { get; init; }

    /// <summary>The products the recommendations are for (<c>complementary</c>, <c>substituting</c>, <c>most_sold_with</c>).</summary>
    public IReadOnlyList<ClerkProductId>? Products { get; init; }

    /// <summary>The category ID, for <c>category/*</c> recommendations.</summary>
    public string? Category { get; init; }

    /// <summary>The customer's e-mail address, for <c>customer/*</c> recommendations.</summary>
    public string? Email { get; init; }

    /// <summary>A Clerk filter expression, for example <c>price &lt; 500</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>Products that must not be returned, such as those already on the page.</summary>
    public IReadOnlyList<ClerkProductId>? Exclude { get; init; }

    /// <summary>Product attributes to return with the IDs (<see cref="ClerkResults.ProductData"/>), for example <c>["name", "price"]</c>.</summary>
    public IReadOnlyList<string>? Attributes { get; init; }

    /// <summary>The store language for a search, when it is not the store's default.</summary>
    public string? Language { get; init; }

    /// <summary>The visitor the results are for; by default the current request's visitor.</summary>
    public ClerkVisitor Visitor { get; init; }
}
