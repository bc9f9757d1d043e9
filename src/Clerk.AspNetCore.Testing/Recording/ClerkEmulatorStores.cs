using System.Collections;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The emulator's stores, each with its own <see cref="ClerkEmulatorState"/>, in the order of the options: the default
/// store (<see cref="ClerkEmulatorOptions.PublicKey"/>) first, then <see cref="ClerkEmulatorOptions.AdditionalStores"/>.
/// Every call goes to the store of its <c>key</c>. In an app's services (<c>AddClerkEmulator</c>) as a singleton, next
/// to <see cref="ClerkEmulatorState"/>, which is <see cref="Default"/>; on a <see cref="ClerkEmulator"/> as
/// <see cref="ClerkEmulator.Stores"/>.
/// </summary>
public sealed class ClerkEmulatorStores : IReadOnlyList<ClerkEmulatorState>
{
    private readonly ClerkEmulatorState[] _states;
    private readonly Dictionary<string, ClerkEmulatorState> _byPublicKey;

    /// <summary>Creates the stores of the options, all empty but for their catalogs.</summary>
    /// <exception cref="InvalidOperationException">A store has no key, or two stores have the same public key.</exception>
    internal ClerkEmulatorStores(ClerkEmulatorOptions options)
    {
        var sequence = new EmulatorSequence();
        var stores = new List<(ClerkEmulatorStoreOptions Store, IEnumerable<ClerkEmulatorProduct> Catalog)>
        {
            (new ClerkEmulatorStoreOptions(options.PublicKey ?? string.Empty, options.PrivateKey ?? string.Empty), options.Catalog),
        };
        stores.AddRange(options.AdditionalStores.Select(s => (s, (IEnumerable<ClerkEmulatorProduct>)s.Catalog)));

        _byPublicKey = new(StringComparer.Ordinal);
        _states = new ClerkEmulatorState[stores.Count];
        for (var i = 0; i < stores.Count; i++)
        {
            var (store, catalog) = stores[i];
            if (store is null || string.IsNullOrEmpty(store.PublicKey) || string.IsNullOrEmpty(store.PrivateKey))
            {
                throw new InvalidOperationException(
                    $"The Clerk emulator's store {i + 1} has no public or private key: give every store both "
                    + "(ClerkEmulatorOptions.PublicKey and PrivateKey for the first, AdditionalStores for the others).");
            }

            // Clerk routes a call by its key alone: two stores with one key could not be told apart.
            if (_byPublicKey.ContainsKey(store.PublicKey))
            {
                throw new InvalidOperationException(
                    $"Two of the Clerk emulator's stores have the public key '{store.PublicKey}': each store needs its own.");
            }

            _states[i] = new ClerkEmulatorState(options, store, catalog, sequence);
            _byPublicKey.Add(store.PublicKey, _states[i]);
        }
    }

    /// <summary>The default store's state: the first store, that of <see cref="ClerkEmulatorOptions.PublicKey"/>.</summary>
    public ClerkEmulatorState Default => _states[0];

    /// <summary>How many stores the emulator serves.</summary>
    public int Count => _states.Length;

    /// <summary>The state of the store at <paramref name="index"/>, in the order of the options (0 is the default store).</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <returns>The store's state.</returns>
    public ClerkEmulatorState this[int index] => _states[index];

    /// <summary>The state of the store with this public key.</summary>
    /// <param name="publicKey">The store's public key, such as <see cref="ClerkEmulatorOptions.DemoPublicKeyEn"/>.</param>
    /// <returns>The store's state.</returns>
    /// <exception cref="ArgumentException">No store has this public key; the message names the keys there are.</exception>
    public ClerkEmulatorState Get(string publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return Find(publicKey) ?? throw new ArgumentException(
            $"The Clerk emulator has no store with the public key '{publicKey}'; its stores are {string.Join(", ", _states.Select(s => $"'{s.PublicKey}'"))}.",
            nameof(publicKey));
    }

    /// <summary>The state of the store with this public key, or <see langword="null"/>.</summary>
    /// <param name="publicKey">The store's public key.</param>
    /// <returns>The store's state, or <see langword="null"/> when no store has the key.</returns>
    public ClerkEmulatorState? Find(string? publicKey) =>
        publicKey is not null && _byPublicKey.TryGetValue(publicKey, out var state) ? state : null;

    /// <summary>
    /// Forgets every store's calls and sales (<see cref="ClerkEmulatorState.Reset"/> of each); catalogs and imports
    /// stay. Over HTTP: <c>DELETE {emulator}/_emulator/calls</c> without <c>store</c>.
    /// </summary>
    public void Reset()
    {
        foreach (var state in _states)
        {
            state.Reset();
        }
    }

    /// <summary>
    /// Removes every store's injected faults (<see cref="ClerkEmulatorState.ClearFaults"/> of each). Over HTTP:
    /// <c>DELETE {emulator}/_emulator/faults</c> without <c>store</c>.
    /// </summary>
    public void ClearFaults()
    {
        foreach (var state in _states)
        {
            state.ClearFaults();
        }
    }

    /// <summary>The stores' states, the default store first.</summary>
    /// <returns>An enumerator over the states.</returns>
    public IEnumerator<ClerkEmulatorState> GetEnumerator() => ((IEnumerable<ClerkEmulatorState>)_states).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
