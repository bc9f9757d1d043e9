namespace Clerk.AspNetCore.Testing;

/// <summary>A category the emulator imported from a shop's category feed.</summary>
/// <param name="Id">The category ID as text.</param>
/// <param name="IsNumericId">Whether the ID was a JSON number.</param>
/// <param name="Name">The category's name.</param>
/// <param name="Url">The category page's URL, if the feed sent one.</param>
/// <param name="Subcategories">The IDs of its direct subcategories, as text.</param>
public sealed record ClerkEmulatorCategory(string Id, bool IsNumericId, string Name, string? Url, IReadOnlyList<string> Subcategories);

/// <summary>An order the emulator imported from a shop's order feed (its e-mail address is not kept).</summary>
/// <param name="Id">The order ID, the one <c>log/sale</c> sends as <c>sale</c>.</param>
/// <param name="Time">When the order was placed, if the feed said.</param>
/// <param name="Customer">The customer's ID, if any.</param>
/// <param name="Products">The order's lines.</param>
public sealed record ClerkEmulatorOrder(string Id, DateTimeOffset? Time, string? Customer, IReadOnlyList<ClerkEmulatorSaleLine> Products);

/// <summary>The JSON type of a set of product IDs: Clerk compares IDs with their type, so one catalog has one.</summary>
public enum ClerkEmulatorIdType
{
    /// <summary>No products, so no type yet.</summary>
    None,

    /// <summary>Every ID is a JSON number (an integer).</summary>
    Number,

    /// <summary>Every ID is a JSON string.</summary>
    String,

    /// <summary>Some IDs are numbers and some strings: clicks and sales with one type never match the other products.</summary>
    Mixed,
}
