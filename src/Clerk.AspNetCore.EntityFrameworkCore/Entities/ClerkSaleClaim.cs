namespace Clerk.AspNetCore;

/// <summary>
/// A row of <c>clerk_sale_claims</c>: the sale of this order has been claimed (rendered or tracked) once, so no other
/// page view or instance sends it again. Deleted after <see cref="ClerkSaleLedgerOptions.Retention"/>.
/// </summary>
public sealed class ClerkSaleClaim
{
    /// <summary>Gets or sets the Clerk store (public key) (column <c>store</c>; the primary key is store and order).</summary>
    public string Store { get; set; } = "";

    /// <summary>Gets or sets the order number (column <c>order_id</c>).</summary>
    public string OrderId { get; set; } = "";

    /// <summary>Gets or sets when the order was claimed (column <c>claimed_at</c>).</summary>
    public DateTimeOffset ClaimedAt { get; set; }
}
