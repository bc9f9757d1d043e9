namespace Clerk.AspNetCore;

/// <summary>
/// An order as the order feed (<c>{prefix}/order</c>) gives it to Clerk's importer. Clerk reconciles feed orders with
/// live sales by their ID, so <see cref="Id"/> is the same order ID <c>log/sale</c> sends, and the lines use the same
/// parent product IDs and unit prices.
/// </summary>
public sealed class ClerkFeedOrder
{
    /// <summary>The order ID, the same one the sale was tracked with.</summary>
    public required string Id { get; init; }

    /// <summary>When the order was placed; written as unix time in seconds.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The customer's e-mail address; written only when <see cref="ClerkOptions.CollectEmails"/> is on.</summary>
    public string? Email { get; init; }

    /// <summary>The customer's ID, as the customer feed gives it.</summary>
    public string? Customer { get; init; }

    /// <summary>The order's lines: parent product ID, unit price and quantity, as in <c>log/sale</c>.</summary>
    public required IReadOnlyList<ClerkSaleLine> Products { get; init; }
}
