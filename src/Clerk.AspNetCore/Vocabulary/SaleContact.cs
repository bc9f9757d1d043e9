namespace Clerk.AspNetCore;

/// <summary>
/// Who a sale is linked to, shared by <c>&lt;clerk-sale&gt;</c> and server-side sales: a visitor who declined tracking
/// is not linked to a customer profile either, so the sale goes without e-mail and customer, as it goes without
/// visitor; and the e-mail only goes while <see cref="ClerkOptions.CollectEmails"/> is on.
/// </summary>
internal static class SaleContact
{
    public static string? Email(bool collectEmails, bool linked, string? email) =>
        linked && collectEmails && !string.IsNullOrWhiteSpace(email) ? email.Trim() : null;

    public static string? Customer(bool linked, string? customer) =>
        linked && !string.IsNullOrWhiteSpace(customer) ? customer : null;
}
