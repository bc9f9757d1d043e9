using System.Globalization;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Stores;

/// <summary>
/// Chooses a request's Clerk store, once: the app's <see cref="IClerkStoreSelector"/>s in registration order, then the
/// stores whose rules all match (the most specific first), then <see cref="ClerkOptions.DefaultStore"/>. A shop with
/// one store and no selector never gets here beyond a field read.
/// </summary>
internal sealed class StoreSelection
{
    private readonly ClerkStoreSet _stores;
    private readonly IClerkStoreSelector[] _selectors;
    private readonly ILogger _logger;
    private readonly bool _development;

    // The rules, most specific first; ties keep configuration order.
    private readonly ClerkStore[] _ruled;

    public StoreSelection(ClerkStoreSet stores, IEnumerable<IClerkStoreSelector> selectors, ILogger<StoreSelection> logger, IWebHostEnvironment? environment = null)
    {
        _stores = stores;
        _selectors = selectors.ToArray();
        _logger = logger;
        _development = environment?.IsDevelopment() ?? false;
        // Most specific first; then the longer path base and the more specific cultures; then the default store;
        // then configuration order. OrderBy is stable, so the order is the same on every instance of a web farm.
        _ruled = stores.All.Where(s => s.Rules.Specificity > 0)
            .OrderByDescending(s => s.Rules.Specificity)
            .ThenByDescending(s => s.Rules.PathBase?.Length ?? 0)
            .ThenByDescending(s => s.Rules.Cultures.Count == 0 ? 0 : s.Rules.Cultures.Min(c => c.Length))
            .ThenByDescending(s => ReferenceEquals(s, stores.Default))
            .ToArray();
    }

    /// <summary>The stores this selection chooses from.</summary>
    public ClerkStoreSet Stores => _stores;

    /// <summary>The request's store; <see langword="null"/> only when Clerk is turned off.</summary>
    public ClerkStore? For(HttpContext context)
    {
        if ((_selectors.Length == 0 && _stores.IsSingle) || _stores.Default is null)
        {
            // One store and nothing to ask; or Clerk turned off, so there is no store to choose.
            return _stores.Default;
        }

        if (context.Features[typeof(ClerkStoreFeature)] is ClerkStoreFeature chosen)
        {
            return chosen.Store;
        }

        var store = Choose(context);
        if (store is not null)
        {
            context.Features[typeof(ClerkStoreFeature)] = new ClerkStoreFeature(store);
        }

        return store;
    }

    private ClerkStore? Choose(HttpContext context)
    {
        foreach (var selector in _selectors)
        {
            string? name;
            try
            {
                name = selector.SelectStore(context);
            }
            catch (Exception exception) when (!_development)
            {
                // The store is wanted in the middle of a page or a checkout: a broken selector must not break them.
                // The request falls through to the rules, and the choice is kept, so the selector is not asked again.
                _logger.StoreSelectorFailed(selector.GetType().Name, exception);
                continue;
            }

            if (name is null)
            {
                continue;
            }

            if (_stores.Find(name) is { } selected)
            {
                return selected;
            }

            if (_development)
            {
                throw new InvalidOperationException(
                    $"{selector.GetType().Name} chose the Clerk store '{name}', which is not configured. The stores are: {string.Join(", ", _stores.All.Select(s => s.Name))} (Clerk:Stores).");
            }

            _logger.UnknownStoreSelected(selector.GetType().Name, name);
        }

        foreach (var store in _ruled)
        {
            if (Matches(store.Rules, context))
            {
                return store;
            }
        }

        return _stores.Default;
    }

    internal static bool Matches(StoreRules rules, HttpContext context)
    {
        var request = context.Request;
        if (rules.Hosts.Count > 0 && !MatchesHost(rules.Hosts, request.Host))
        {
            return false;
        }

        if (rules.PathBase is { } pathBase && !MatchesPath(pathBase, request.PathBase, request.Path))
        {
            return false;
        }

        return rules.Cultures.Count == 0 || MatchesCulture(rules.Cultures, context);
    }

    private static bool MatchesHost(IReadOnlyList<string> hosts, HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        foreach (var entry in hosts)
        {
            var candidate = entry.Contains(':', StringComparison.Ordinal) && !entry.StartsWith('[') || entry.Contains("]:", StringComparison.Ordinal)
                ? host.Value
                : host.Host;
            if (string.Equals(entry, candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <c>PathBase + Path</c> is <paramref name="prefix"/> or under it, by whole segments, without case.</summary>
    internal static bool MatchesPath(string prefix, PathString pathBase, PathString path)
    {
        var head = pathBase.Value ?? string.Empty;
        var tail = path.Value ?? string.Empty;
        var length = head.Length + tail.Length;
        if (length < prefix.Length)
        {
            return false;
        }

        // Compare without concatenating: the prefix may end inside the path base or inside the path.
        for (var i = 0; i < prefix.Length; i++)
        {
            var c = i < head.Length ? head[i] : tail[i - head.Length];
            if (char.ToLowerInvariant(c) != char.ToLowerInvariant(prefix[i]))
            {
                return false;
            }
        }

        if (length == prefix.Length)
        {
            return true;
        }

        var next = prefix.Length < head.Length ? head[prefix.Length] : tail[prefix.Length - head.Length];
        return next == '/';
    }

    private static bool MatchesCulture(IReadOnlyList<string> cultures, HttpContext context)
    {
        if (context.Features.Get<IRequestCultureFeature>()?.RequestCulture is not { } requestCulture)
        {
            return false;
        }

        return Within(cultures, requestCulture.UICulture) || Within(cultures, requestCulture.Culture);
    }

    private static bool Within(IReadOnlyList<string> cultures, CultureInfo culture)
    {
        // da-DK is within "da-DK" and within "da" (its parent); walking up stops at the invariant culture.
        for (var current = culture; !string.IsNullOrEmpty(current.Name); current = current.Parent)
        {
            foreach (var entry in cultures)
            {
                if (string.Equals(entry, current.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
