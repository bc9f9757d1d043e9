namespace Clerk.AspNetCore;

/// <summary>An order as Clerk records it (<c>log/sale</c>), for server-side sale tracking.</summary>
/// <param name="OrderId">The order number your order feed uses; Clerk keeps one sale per order ID.</param>
/// <param name="Lines">The order's lines: parent product ID, unit price and quantity.</param>
public sealed record ClerkSale(string OrderId, IReadOnlyList<ClerkSaleLine> Lines)
{
    /// <summary>
    /// The customer's e-mail address, which links the visitor to the customer across devices. Sent only when
    /// <see cref="ClerkOptions.CollectEmails"/> is on and the visitor did not decline tracking.
    /// </summary>
    public string? Email { get; init; }

    /// <summary>The shop's customer ID, if the customer has an account. Not sent for a visitor who declined tracking.</summary>
    public string? Customer { get; init; }

    /// <summary>The visitor who placed the order; by default the current request's visitor.</summary>
    public ClerkVisitor Visitor { get; init; }
}
