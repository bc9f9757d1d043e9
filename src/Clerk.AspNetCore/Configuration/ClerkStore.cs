namespace Clerk.AspNetCore;

/// <summary>
/// A Clerk store as the package uses it: one entry of <see cref="ClerkOptions.Stores"/>, or the store of a shop
/// configured with <see cref="ClerkOptions.PublicKey"/> alone (named <see cref="DefaultName"/>), with the shop-wide
/// settings it does not override filled in. The current request's is <c>HttpContext.GetClerkStore()</c>.
/// </summary>
/// <remarks>The private key is not part of it, so a store can be logged, rendered or shown on a diagnostics page.</remarks>
public sealed class ClerkStore
{
    /// <summary>The name of the one store of a shop configured with <see cref="ClerkOptions.PublicKey"/>: <c>default</c>.</summary>
    public const string DefaultName = "default";

    internal ClerkStore(string name, string publicKey, string? privateKey, string? language, string clerkJsUrl,
        IReadOnlyDictionary<string, string> globals, StoreRules rules, bool shortForm = false)
    {
        FromShortForm = shortForm;
        Name = name;
        PublicKey = publicKey;
        PrivateKey = privateKey;
        Language = language;
        ClerkJsUrl = clerkJsUrl;
        Globals = globals;
        Rules = rules;
    }

    /// <summary>The store's name: its key in <see cref="ClerkOptions.Stores"/>, or <see cref="DefaultName"/>.</summary>
    public string Name { get; }

    /// <summary>The store's public API key.</summary>
    public string PublicKey { get; }

    /// <summary>The store's language for Clerk.js and search, if one is configured.</summary>
    public string? Language { get; }

    /// <summary>Where the browser loads Clerk.js from for this store.</summary>
    public string ClerkJsUrl { get; }

    /// <summary>The Clerk.js <c>globals</c> of this store: the shop's, with the store's own added or overriding.</summary>
    public IReadOnlyDictionary<string, string> Globals { get; }

    /// <summary>Whether the store has a private key (the key itself never leaves the package).</summary>
    public bool HasPrivateKey => PrivateKey is not null;

    /// <summary>The private key; used only where a call is sent or a feed request checked.</summary>
    internal string? PrivateKey { get; }

    /// <summary>Which requests the store serves.</summary>
    internal StoreRules Rules { get; }

    /// <summary>
    /// A setting of this store as configuration names it, for messages that say what to set:
    /// <c>Clerk:PrivateKey</c> for the short form, <c>Clerk:Stores:en:PrivateKey</c> for a named store.
    /// </summary>
    internal string Setting(string name) =>
        FromShortForm ? $"{ClerkOptions.SectionName}:{name}" : $"{ClerkOptions.SectionName}:Stores:{Name}:{name}";

    /// <summary>Whether this is the one store of a shop configured with <see cref="ClerkOptions.PublicKey"/>.</summary>
    internal bool FromShortForm { get; }

    /// <summary>The store's name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;
}

/// <summary>A store's request rules (<see cref="ClerkStoreOptions.Hosts"/>, <c>PathBase</c>, <c>Cultures</c>), normalised.</summary>
/// <param name="Hosts">Host names, lower case, some with a port.</param>
/// <param name="PathBase">The path, starting with '/' and without a trailing '/', or <see langword="null"/>.</param>
/// <param name="Cultures">Culture names.</param>
internal sealed record StoreRules(IReadOnlyList<string> Hosts, string? PathBase, IReadOnlyList<string> Cultures)
{
    public static readonly StoreRules None = new([], null, []);

    /// <summary>
    /// How specific the store's rules are, to choose between stores that all match a request: a path base counts more
    /// than hosts, hosts more than cultures, and any two kinds more than one alone (4, 2 and 1: a sum never ties two
    /// different sets of kinds). The address the visitor asked for says more than the browser's language does.
    /// </summary>
    public int Specificity => (PathBase is null ? 0 : 4) + (Hosts.Count > 0 ? 2 : 0) + (Cultures.Count > 0 ? 1 : 0);
}
