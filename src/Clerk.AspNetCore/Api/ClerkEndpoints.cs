namespace Clerk.AspNetCore.Api;

/// <summary>
/// The names of Clerk's REST API endpoints the package calls, in one place, and which of them need the private key.
/// </summary>
internal static class ClerkEndpoints
{
    public const string LogClick = "log/click";
    public const string LogProduct = "log/product";
    public const string LogCategory = "log/category";
    public const string LogEmail = "log/email";
    public const string LogSale = "log/sale";
    public const string LogReturned = "log/returned";
    public const string LogBasketSet = "log/basket/set";
    public const string PrivacyInfo = "privacy/info";
    public const string PrivacyForget = "privacy/forget";
    public const string AccountInfo = "client/account/info";

    /// <summary>Real-time catalog sync: products added or changed (<c>{"key","private_key","products":[…]}</c>).</summary>
    public const string ProductAdd = "product/add";

    /// <summary>Real-time catalog sync: products removed (<c>{"key","private_key","products":[ids]}</c>).</summary>
    public const string ProductRemove = "product/remove";

    /// <summary>
    /// Whether a call that waited in the outbox gets the private key when it is sent: the outbox never stores it (a
    /// database row outlives a rotated key, and is read by more people than the app's secrets). Catalog sync's calls
    /// (<see cref="ProductAdd"/>, <see cref="ProductRemove"/>) are built, key included, by their own sender.
    /// </summary>
    public static bool AddsPrivateKeyWhenSent(string endpoint) => endpoint is LogReturned;
}
