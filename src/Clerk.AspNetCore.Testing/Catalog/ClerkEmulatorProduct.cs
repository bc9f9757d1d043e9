using System.Globalization;
using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// A product of the emulator's catalog. Its ID keeps its JSON type, as in Clerk: a catalog of integer IDs rejects
/// sales and clicks that send them as strings, and the other way round.
/// </summary>
public sealed class ClerkEmulatorProduct
{
    private static readonly IReadOnlyDictionary<string, JsonElement> EmptyFields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>A product with an integer ID.</summary>
    /// <param name="id">The product (parent) ID.</param>
    /// <param name="name">The product name.</param>
    /// <param name="price">The unit price.</param>
    public ClerkEmulatorProduct(long id, string name, decimal price)
        : this(id.ToString(CultureInfo.InvariantCulture), isNumericId: true, name, price)
    {
    }

    /// <summary>A product with a string ID.</summary>
    /// <param name="id">The product (parent) ID.</param>
    /// <param name="name">The product name.</param>
    /// <param name="price">The unit price.</param>
    public ClerkEmulatorProduct(string id, string name, decimal price)
        : this(id, isNumericId: false, name, price)
    {
    }

    internal ClerkEmulatorProduct(string id, bool isNumericId, string name, decimal price)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(name);
        Id = id;
        IsNumericId = isNumericId;
        Name = name;
        Price = price;
    }

    /// <summary>The ID as text.</summary>
    public string Id { get; }

    /// <summary>Whether the ID is an integer in JSON.</summary>
    public bool IsNumericId { get; }

    /// <summary>The product name.</summary>
    public string Name { get; }

    /// <summary>The unit price.</summary>
    public decimal Price { get; }

    /// <summary>Category IDs the product belongs to, as text (a feed's <c>[1,2]</c> is <c>["1","2"]</c>).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The brand, matched by search like the name.</summary>
    public string? Brand { get; init; }

    /// <summary>The product page's URL, used by the stand-in Clerk.js when it renders recommendations.</summary>
    public string? Url { get; init; }

    /// <summary>The product image's URL (<c>image</c> in a feed), shown by the stand-in Clerk.js's cards.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>The description as plain text.</summary>
    public string? Description { get; init; }

    /// <summary>The regular price before any sale (<c>list_price</c>), when the feed sends one.</summary>
    public decimal? ListPrice { get; init; }

    /// <summary>How many are in stock, when the shop tracks it.</summary>
    public int? Stock { get; init; }

    /// <summary>Whether the product is on sale (<c>on_sale</c>), when the feed says.</summary>
    public bool? OnSale { get; init; }

    /// <summary>When the product was created (<c>created_at</c>, unix seconds in a feed): <c>recommendations/new</c> and
    /// <c>recommendations/trending</c> without activity rank the newest first.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The SKU.</summary>
    public string? Sku { get; init; }

    /// <summary>
    /// The shop's extra fields (those a feed or <c>product/add</c> sent besides the standard ones), as the JSON it sent;
    /// answered in <c>product_data</c> when a call asks for them in <c>attributes</c>.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> ExtraFields { get; init; } = EmptyFields;

    internal JsonValueKind IdKind => IsNumericId ? JsonValueKind.Number : JsonValueKind.String;
}
