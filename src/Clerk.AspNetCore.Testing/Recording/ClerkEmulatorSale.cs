namespace Clerk.AspNetCore.Testing;

/// <summary>A sale the emulator stored: the first <c>log/sale</c> call for its sale ID.</summary>
/// <param name="SaleId">The <c>sale</c> argument.</param>
/// <param name="Time">When it was stored.</param>
/// <param name="Visitor">The visitor, or <see langword="null"/> (recorded, but never attributable).</param>
/// <param name="Email">The <c>email</c> argument, if any.</param>
/// <param name="Customer">The <c>customer</c> argument, if any.</param>
/// <param name="Products">The sale's lines.</param>
/// <param name="CallSequence">The <see cref="ClerkEmulatorCall.Sequence"/> of the call that stored it.</param>
public sealed record ClerkEmulatorSale(
    string SaleId,
    DateTimeOffset Time,
    string? Visitor,
    string? Email,
    string? Customer,
    IReadOnlyList<ClerkEmulatorSaleLine> Products,
    long CallSequence)
{
    /// <summary>The public key of the store the sale was logged in: a sale counts in that store only.</summary>
    public string? Store { get; init; }
}

/// <summary>One line of a stored sale.</summary>
/// <param name="ProductId">The product ID as text.</param>
/// <param name="IsNumericId">Whether the ID was a JSON number.</param>
/// <param name="Price">The unit price, if sent.</param>
/// <param name="Quantity">The quantity (1 when not sent).</param>
public sealed record ClerkEmulatorSaleLine(string ProductId, bool IsNumericId, decimal? Price, int Quantity);

/// <summary>
/// Whether Clerk would count a sale as influenced by Clerk, by Clerk's chain: a <c>log/click</c> by the same visitor
/// on a product of the sale, before the sale.
/// </summary>
/// <param name="Sale">The sale.</param>
/// <param name="ClerkInfluenced">Whether at least one such click exists.</param>
/// <param name="Labels">The labels of those clicks: the elements that drove the sale.</param>
/// <param name="Clicks">Those clicks.</param>
/// <param name="Duplicates">Later <c>log/sale</c> calls with the same sale ID, which Clerk ignores.</param>
public sealed record ClerkEmulatorSaleReport(
    ClerkEmulatorSale Sale,
    bool ClerkInfluenced,
    IReadOnlyList<string> Labels,
    IReadOnlyList<ClerkEmulatorCall> Clicks,
    IReadOnlyList<ClerkEmulatorCall> Duplicates);
