namespace Clerk.AspNetCore;

/// <summary>
/// A product as the product feed (<c>{prefix}/product</c>) gives it to Clerk's importer, and as real-time sync sends it
/// to <c>product/add</c>: the shape Clerk's own extensions send.
/// </summary>
public sealed class ClerkFeedProduct
{
    /// <summary>
    /// The product's <b>parent</b> ID, of the JSON type every click and sale uses for it (Clerk compares IDs with their
    /// type: <c>123</c> and <c>"123"</c> are different products).
    /// </summary>
    public required ClerkProductId Id { get; init; }

    /// <summary>The product's name.</summary>
    public required string Name { get; init; }

    /// <summary>The description as plain text; HTML in it is reduced to its text when the feed is written.</summary>
    public string? Description { get; init; }

    /// <summary>The price a visitor pays now (after a sale price), in the feed's currency.</summary>
    public decimal Price { get; init; }

    /// <summary>The regular price before any sale; <see langword="null"/> when it is <see cref="Price"/>.</summary>
    public decimal? ListPrice { get; init; }

    /// <summary>The image's URL; a URL relative to the shop is made absolute when the feed is written.</summary>
    public string? Image { get; init; }

    /// <summary>The product page's URL; a URL relative to the shop is made absolute when the feed is written.</summary>
    public string? Url { get; init; }

    /// <summary>The IDs of the categories the product is in (category IDs keep their JSON type like product IDs).</summary>
    public IReadOnlyList<ClerkProductId> Categories { get; init; } = [];

    /// <summary>The brand.</summary>
    public string? Brand { get; init; }

    /// <summary>The SKU (never the ID Clerk knows the product by).</summary>
    public string? Sku { get; init; }

    /// <summary>Whether the product is on sale; when <see langword="null"/>, whether <see cref="Price"/> is below <see cref="ListPrice"/>.</summary>
    public bool? OnSale { get; init; }

    /// <summary>How many are in stock, when the shop tracks it.</summary>
    public int? Stock { get; init; }

    /// <summary>When the product was created; written as unix time in seconds (<c>created_at</c>).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>
    /// The shop's extra fields, written next to the standard ones (for example <c>color</c>, <c>rating</c>): strings,
    /// numbers, booleans, <see cref="DateTimeOffset"/> (unix seconds), lists of those, or JSON (<c>JsonNode</c>,
    /// <c>JsonElement</c>). A name that is a standard field is an error.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Fields { get; init; }
}
