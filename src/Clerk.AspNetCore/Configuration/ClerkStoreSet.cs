using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Configuration;

/// <summary>
/// The configured stores, built once from <see cref="ClerkOptions"/> (validated at start by
/// <see cref="ClerkOptionsValidator"/>): the one store of the short form, or every entry of <see cref="ClerkOptions.Stores"/>.
/// Empty when Clerk is turned off.
/// </summary>
internal sealed class ClerkStoreSet
{
    private readonly FrozenDictionary<string, ClerkStore> _byName;
    private readonly FrozenDictionary<string, ClerkStore> _byPublicKey;

    public ClerkStoreSet(IOptions<ClerkOptions> options)
        : this(options.Value)
    {
    }

    public ClerkStoreSet(ClerkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IsShortForm = options.Stores is not { Count: > 0 };
        All = Build(options);
        // Names differing only in case are refused at start; here the first wins, so that building never throws.
        _byName = All.DistinctBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToFrozenDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        _byPublicKey = All.GroupBy(s => s.PublicKey, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Default = All.Count == 0 ? null
            : options.DefaultStore is { Length: > 0 } name && _byName.TryGetValue(name, out var chosen) ? chosen
            : All[0];
        HasRules = All.Any(s => s.Rules.Specificity > 0);
    }

    /// <summary>Every store, in configuration order (by name); none when Clerk is turned off.</summary>
    public IReadOnlyList<ClerkStore> All { get; }

    /// <summary>The store of requests no rule picks and of calls outside a request; <see langword="null"/> when there is none.</summary>
    public ClerkStore? Default { get; }

    /// <summary>
    /// Whether the shop is configured with <see cref="ClerkOptions.PublicKey"/> (one store, <c>default</c>) rather than
    /// <see cref="ClerkOptions.Stores"/>: what it logs and reports keeps the short form's settings and names.
    /// </summary>
    public bool IsShortForm { get; }

    /// <summary>Whether the shop has exactly one store (the common case: no per-request choice to make).</summary>
    public bool IsSingle => All.Count == 1;

    /// <summary>Whether any store has request rules (hosts, path base, cultures).</summary>
    public bool HasRules { get; }

    /// <summary>The store with this name (without case), or <see langword="null"/>.</summary>
    public ClerkStore? Find(string? name) => name is not null && _byName.TryGetValue(name, out var store) ? store : null;

    /// <summary>The store with this public key (compared exactly), or <see langword="null"/>.</summary>
    public ClerkStore? FindByPublicKey(string? publicKey) =>
        publicKey is not null && _byPublicKey.TryGetValue(publicKey, out var store) ? store : null;

    /// <summary>The store with this name, or an exception that lists the configured ones.</summary>
    public ClerkStore Get(string name) =>
        Find(name) ?? throw new InvalidOperationException(
            All.Count == 0
                ? $"There is no Clerk store named '{name}': Clerk is turned off (Clerk:Enabled is false)."
                : $"There is no Clerk store named '{name}'. The configured stores are: {string.Join(", ", All.Select(s => s.Name))}.");

    private static List<ClerkStore> Build(ClerkOptions options)
    {
        var stores = new List<ClerkStore>();
        if (!options.Enabled)
        {
            return stores;
        }

        var shopGlobals = options.Globals ?? new Dictionary<string, string>();
        if (options.Stores is not { Count: > 0 })
        {
            if (options.PublicKey is { Length: > 0 } key)
            {
                stores.Add(new ClerkStore(ClerkStore.DefaultName, key, NullIfEmpty(options.PrivateKey), NullIfBlank(options.Language),
                    options.ClerkJsUrl, shopGlobals.ToFrozenDictionary(StringComparer.Ordinal), StoreRules.None, shortForm: true));
            }

            return stores;
        }

        foreach (var (name, store) in options.Stores.OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (store?.PublicKey is not { Length: > 0 } publicKey)
            {
                continue; // refused at start by the validator; skipped here so that building never throws
            }

            var globals = new Dictionary<string, string>(shopGlobals, StringComparer.Ordinal);
            foreach (var (global, value) in store.Globals ?? new Dictionary<string, string>())
            {
                globals[global] = value;
            }

            stores.Add(new ClerkStore(
                name,
                publicKey,
                NullIfEmpty(store.PrivateKey),
                NullIfBlank(store.Language) ?? NullIfBlank(options.Language),
                string.IsNullOrWhiteSpace(store.ClerkJsUrl) ? options.ClerkJsUrl : store.ClerkJsUrl,
                globals.ToFrozenDictionary(StringComparer.Ordinal),
                RulesOf(store)));
        }

        return stores;
    }

    internal static StoreRules RulesOf(ClerkStoreOptions store)
    {
        var hosts = (store.Hosts ?? []).Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim().ToLowerInvariant()).Distinct().ToArray();
        var cultures = (store.Cultures ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return new StoreRules(hosts, NormalisePath(store.PathBase), cultures);
    }

    /// <summary><c>/en/</c> → <c>/en</c>; blank or <c>/</c> → no rule.</summary>
    internal static string? NormalisePath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var trimmed = path.Trim().TrimEnd('/');
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
