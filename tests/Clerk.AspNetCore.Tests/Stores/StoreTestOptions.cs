namespace Clerk.AspNetCore.Tests.Stores;

/// <summary>Two Clerk stores, Danish (the default) and English under <c>/en</c>, as the multi-store tests configure them.</summary>
internal static class StoreTestOptions
{
    public const string DanishKey = "pub-dk";
    public const string DanishPrivateKey = "priv-dk";
    public const string EnglishKey = "pub-en";
    public const string EnglishPrivateKey = "priv-en";

    public static void TwoStores(ClerkOptions options)
    {
        options.PublicKey = null;
        options.PrivateKey = null;
        options.Globals["currency_symbol"] = "kr.";
        options.Stores["dk"] = new ClerkStoreOptions { PublicKey = DanishKey, PrivateKey = DanishPrivateKey, Language = "danish" };
        options.Stores["en"] = new ClerkStoreOptions
        {
            PublicKey = EnglishKey,
            PrivateKey = EnglishPrivateKey,
            Language = "english",
            PathBase = "/en",
            Globals = { ["currency_symbol"] = "€" },
        };
        options.DefaultStore = "dk";
    }
}
