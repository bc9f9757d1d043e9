using System.Collections.Concurrent;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// The shop's base address as the last feed request saw it (scheme, host and path base), for real-time sync of a
/// change made outside any request (a background job, a seeding) when <see cref="ClerkFeedOptions.BaseUrl"/> is not
/// set: without a base, a relative product URL cannot be made absolute, and a <c>product/add</c> without the URL would
/// take the link from Clerk's copy of the product. Kept per store too: stores on domains of their own (<c>shop.dk</c>,
/// <c>shop.de</c>) each get their own links, never another store's.
/// </summary>
internal sealed class FeedBaseAddress
{
    private readonly ConcurrentDictionary<string, Uri> _byStore = new(StringComparer.OrdinalIgnoreCase);
    private Uri? _last;

    /// <summary>The address the last feed request of any store saw.</summary>
    public Uri? Last => Volatile.Read(ref _last);

    /// <summary>A base address as the feeds use it: a path without a trailing slash gets one (<c>/store</c> is a folder).</summary>
    public static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;

    /// <summary>The address the last feed request of the store <paramref name="store"/> saw, if one came.</summary>
    public Uri? For(string store) => _byStore.TryGetValue(store, out var uri) ? uri : null;

    public void Remember(Uri? baseUrl, string? store = null)
    {
        if (baseUrl is not { IsAbsoluteUri: true })
        {
            return;
        }

        if (!Equals(Volatile.Read(ref _last), baseUrl))
        {
            Volatile.Write(ref _last, baseUrl);
        }

        if (store is not null && (!_byStore.TryGetValue(store, out var known) || !Equals(known, baseUrl)))
        {
            _byStore[store] = baseUrl;
        }
    }
}
