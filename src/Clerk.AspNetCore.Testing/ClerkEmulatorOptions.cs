namespace Clerk.AspNetCore.Testing;

/// <summary>Settings of the Clerk emulator.</summary>
public sealed class ClerkEmulatorOptions
{
    /// <summary>The public key the sample shop uses with the emulator.</summary>
    public const string DemoPublicKey = "demo-public-key";

    /// <summary>The private key the sample shop uses with the emulator.</summary>
    public const string DemoPrivateKey = "demo-private-key";

    /// <summary>The public key of the second demo store (the sample shop's English store).</summary>
    public const string DemoPublicKeyEn = "demo-public-key-en";

    /// <summary>The private key of the second demo store (the sample shop's English store).</summary>
    public const string DemoPrivateKeyEn = "demo-private-key-en";

    /// <summary>
    /// The default store's public key: the first of the emulator's stores, whose state is <see cref="ClerkEmulator.State"/>
    /// (and <see cref="ClerkEmulatorState"/> in the app's services). Calls whose key no store has fail with
    /// <c>AuthenticationError</c>.
    /// </summary>
    /// <value>Defaults to <see cref="DemoPublicKey"/>.</value>
    public string PublicKey { get; set; } = DemoPublicKey;

    /// <summary>The default store's private key, required by the calls Clerk guards with it; it opens no other store.</summary>
    /// <value>Defaults to <see cref="DemoPrivateKey"/>.</value>
    public string PrivateKey { get; set; } = DemoPrivateKey;

    /// <summary>
    /// The stores the emulator serves besides the default one (<see cref="PublicKey"/>), each with its own keys,
    /// catalog, calls, sales and faults, as the stores of a Clerk account are kept apart. Every call goes to the store
    /// of its <c>key</c>. Clear it for an emulator of one store; add to it for more.
    /// </summary>
    /// <value>Defaults to one store, <see cref="DemoPublicKeyEn"/> with <see cref="DemoPrivateKeyEn"/>.</value>
    public IList<ClerkEmulatorStoreOptions> AdditionalStores { get; } = [new ClerkEmulatorStoreOptions(DemoPublicKeyEn, DemoPrivateKeyEn)];

    /// <summary>
    /// The name of the <see cref="HttpClient"/> the importer (<see cref="ClerkEmulatorImporter"/>,
    /// <c>POST {emulator}/_emulator/import</c>) pulls a shop's feeds with. A test with <c>WebApplicationFactory</c>
    /// routes it to the shop's test server:
    /// <c>services.AddHttpClient(ClerkEmulatorOptions.ImporterHttpClientName).ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler())</c>.
    /// </summary>
    public const string ImporterHttpClientName = "Clerk.AspNetCore.Testing.Importer";

    /// <summary>
    /// The products the default store knows when it starts (see <see cref="ClerkEmulatorStoreOptions.Catalog"/> for the
    /// others); product IDs in calls must have the JSON type of these IDs. Read
    /// once, when the emulator's state is created: afterwards the catalog changes through <c>product/add</c>,
    /// <c>product/remove</c> and imports (<see cref="ClerkEmulatorState.GetProducts"/> reads it).
    /// </summary>
    public IList<ClerkEmulatorProduct> Catalog { get; } = [];

    /// <summary>How many calls the inspection log of each store keeps; the oldest go first.</summary>
    /// <value>Defaults to 10,000.</value>
    public int MaxRecordedCalls { get; set; } = 10_000;

    /// <summary>The largest request body accepted, in bytes.</summary>
    /// <value>Defaults to 64 KiB.</value>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The largest request body <c>product/add</c> and <c>product/remove</c> accept, in bytes: they carry whole products,
    /// a batch at a time.
    /// </summary>
    /// <value>Defaults to 4 MiB.</value>
    public int MaxSyncRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest feed page the importer reads, in bytes; a larger page fails the import.</summary>
    /// <value>Defaults to 8 MiB.</value>
    public int MaxImportPageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The most pages the importer pulls from one feed; a feed that has not ended by then fails the import.</summary>
    /// <value>Defaults to 10,000.</value>
    public int MaxImportPages { get; set; } = 10_000;

    /// <summary>The deepest JSON accepted in a request.</summary>
    /// <value>Defaults to 16.</value>
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>
    /// Lets <c>MapClerkEmulator()</c> map the emulator outside the Development environment, for tests, CI and demos.
    /// Without it, mapping the emulator in Production (or Staging, …) throws: a shop whose Clerk key went missing
    /// must not send its tracking to a fake, nor show its visitors' calls to anyone. <c>ClerkEmulator.StartAsync</c>
    /// (on its own loopback port) opts in by itself.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool AllowOutsideDevelopment { get; set; }
}
