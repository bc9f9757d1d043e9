namespace Clerk.AspNetCore.Testing;

/// <summary>
/// One more Clerk store the emulator serves, besides the default one of <see cref="ClerkEmulatorOptions.PublicKey"/>:
/// its own keys, catalog, calls, sales and faults, as each store of a Clerk account has (a shop with a store per
/// language or country, <c>Clerk:Stores:{name}</c>).
/// </summary>
public sealed class ClerkEmulatorStoreOptions
{
    /// <summary>Creates a store with no keys yet; set <see cref="PublicKey"/> and <see cref="PrivateKey"/>.</summary>
    public ClerkEmulatorStoreOptions()
    {
    }

    /// <summary>Creates a store with these keys.</summary>
    /// <param name="publicKey">The store's public key, such as <see cref="ClerkEmulatorOptions.DemoPublicKeyEn"/>.</param>
    /// <param name="privateKey">The store's private key, such as <see cref="ClerkEmulatorOptions.DemoPrivateKeyEn"/>.</param>
    public ClerkEmulatorStoreOptions(string publicKey, string privateKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(privateKey);
        PublicKey = publicKey;
        PrivateKey = privateKey;
    }

    /// <summary>The store's public key: calls with it are this store's. Unique among the emulator's stores.</summary>
    public string PublicKey { get; set; } = string.Empty;

    /// <summary>The store's private key: only it opens this store's guarded calls, never another store's.</summary>
    public string PrivateKey { get; set; } = string.Empty;

    /// <summary>
    /// The products this store knows when the emulator starts, as <see cref="ClerkEmulatorOptions.Catalog"/> for the
    /// default store; empty until <c>product/add</c> or an import (<c>POST {emulator}/_emulator/import?store=…</c>)
    /// otherwise.
    /// </summary>
    public IList<ClerkEmulatorProduct> Catalog { get; } = [];
}
