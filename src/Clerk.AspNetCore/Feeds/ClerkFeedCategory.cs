namespace Clerk.AspNetCore;

/// <summary>A category as the category feed (<c>{prefix}/category</c>) gives it to Clerk's importer.</summary>
public sealed class ClerkFeedCategory
{
    /// <summary>The category's ID, of the JSON type the products' <see cref="ClerkFeedProduct.Categories"/> use.</summary>
    public required ClerkProductId Id { get; init; }

    /// <summary>The category's name.</summary>
    public required string Name { get; init; }

    /// <summary>The category page's URL; a URL relative to the shop is made absolute when the feed is written.</summary>
    public string? Url { get; init; }

    /// <summary>The IDs of its direct subcategories.</summary>
    public IReadOnlyList<ClerkProductId> Subcategories { get; init; } = [];

    /// <summary>The shop's extra fields, as for <see cref="ClerkFeedProduct.Fields"/>.</summary>
    public IReadOnlyDictionary<string, object?>? Fields { get; init; }
}
