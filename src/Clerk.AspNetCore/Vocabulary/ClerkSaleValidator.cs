using System.Globalization;

namespace Clerk.AspNetCore;

/// <summary>
/// The rules a sale must follow before it goes to Clerk, shared by <c>&lt;clerk-sale&gt;</c> and server-side
/// tracking. Each message names the rule, the line and how to fix it.
/// </summary>
internal static class ClerkSaleValidator
{
    /// <summary>The first rule the sale breaks, or <see langword="null"/> when it is valid.</summary>
    public static string? Problem(string? orderId, IReadOnlyList<ClerkSaleLine?>? lines)
    {
        if (string.IsNullOrWhiteSpace(orderId))
        {
            return "The sale has no order ID. Pass the order number that your order feed uses, for example order-id=\"@Model.Order.Number\"; Clerk keeps one sale per order ID.";
        }

        if (lines is null || lines.Count == 0)
        {
            return $"The sale for order {orderId} has no lines. Clerk needs at least one product: pass the order's lines as ClerkSaleLine(parentProductId, unitPrice, quantity).";
        }

        bool? numbers = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var number = i + 1;
            if (lines[i] is not { } line)
            {
                return $"Line {number} of the sale for order {orderId} is null. Pass only the order's lines.";
            }

            if (!line.ParentProductId.HasValue)
            {
                return $"Line {number} of the sale for order {orderId} has no product ID. Use the parent product's catalog ID, the one your product feed sends to Clerk.";
            }

            if (line.Quantity < 1)
            {
                return $"Line {number} (product {line.ParentProductId}) of the sale for order {orderId} has quantity {line.Quantity.ToString(CultureInfo.InvariantCulture)}; Clerk needs a quantity of 1 or more. Leave out lines that were removed from the order.";
            }

            if (line.UnitPrice < 0)
            {
                return $"Line {number} (product {line.ParentProductId}) of the sale for order {orderId} has a negative unit price ({line.UnitPrice.ToString(CultureInfo.InvariantCulture)}). Send the price of one item, after discounts, as 0 or more.";
            }

            if (numbers is { } first && first != line.ParentProductId.IsNumber)
            {
                return $"The sale for order {orderId} mixes integer and string product IDs (line {number}: {Describe(line.ParentProductId)}). Clerk compares IDs with their JSON type, so 123 and \"123\" are different products: use the type your product feed uses on every line.";
            }

            numbers = line.ParentProductId.IsNumber;
        }

        return null;
    }

    private static string Describe(ClerkProductId id) => id.IsNumber ? id.ToString() : $"\"{id}\"";
}
