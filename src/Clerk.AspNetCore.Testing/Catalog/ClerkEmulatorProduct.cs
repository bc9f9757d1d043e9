using System.Globalization;
using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// A product of the emulator's catalog. Its ID keeps its JSON type, as in Clerk: a catalog of integer IDs rejects
/// sales and clicks that send them as strings, and the other way round.
/// </summary>
public sealed class ClerkEmulatorProduct
{
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

    private ClerkEmulatorProduct(string id, bool isNumericId, string name, decimal price)
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

    /// <summary>Category IDs the product belongs to.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The brand, matched by search like the name.</summary>
    public string? Brand { get; init; }

    /// <summary>The product page's URL, used by the stand-in Clerk.js when it renders recommendations.</summary>
    public string? Url { get; init; }

    /// <summary>The product image's URL.</summary>
    public string? ImageUrl { get; init; }

    internal JsonValueKind IdKind => IsNumericId ? JsonValueKind.Number : JsonValueKind.String;
}
