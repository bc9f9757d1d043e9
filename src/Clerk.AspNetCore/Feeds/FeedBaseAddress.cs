namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// The shop's base address as the last feed request saw it (scheme, host and path base), for real-time sync of a
/// change made outside any request (a background job, a seeding) when <see cref="ClerkFeedOptions.BaseUrl"/> is not
/// set: without a base, a relative product URL cannot be made absolute, and a <c>product/add</c> without the URL would
/// take the link from Clerk's copy of the product.
/// </summary>
internal sealed class FeedBaseAddress
{
    private Uri? _last;

    public Uri? Last => Volatile.Read(ref _last);

    /// <summary>A base address as the feeds use it: a path without a trailing slash gets one (<c>/store</c> is a folder).</summary>
    public static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;

    public void Remember(Uri? baseUrl)
    {
        if (baseUrl is { IsAbsoluteUri: true } && !Equals(Volatile.Read(ref _last), baseUrl))
        {
            Volatile.Write(ref _last, baseUrl);
        }
    }
}
