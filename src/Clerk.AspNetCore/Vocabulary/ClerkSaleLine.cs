using System.Text.Json.Serialization;

namespace Clerk.AspNetCore;

/// <summary>
/// One line of an order as Clerk records it: the <b>parent</b> product, the price of <b>one</b> item, and how many.
/// </summary>
/// <param name="ParentProductId">
/// The ID of the product in Clerk's catalog, of the type the product feed uses. For a variant (a size or a colour),
/// the ID of its parent product: Clerk's help names variant IDs and SKUs as the top cause of unattributed orders.
/// </param>
/// <param name="UnitPrice">The price of a single item, never the line total: Clerk multiplies it by the quantity.</param>
/// <param name="Quantity">How many items; 1 or more.</param>
public sealed record ClerkSaleLine(
    [property: JsonPropertyName("id")] ClerkProductId ParentProductId,
    [property: JsonPropertyName("price")] decimal UnitPrice,
    [property: JsonPropertyName("quantity")] int Quantity);
