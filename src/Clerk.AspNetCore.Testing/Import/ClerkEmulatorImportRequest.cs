namespace Clerk.AspNetCore.Testing;

/// <summary>What <see cref="ClerkEmulatorImporter.ImportAsync(ClerkEmulatorImportRequest, CancellationToken)"/> pulls, and with which keys.</summary>
public sealed class ClerkEmulatorImportRequest
{
    /// <summary>The feeds an import pulls unless told otherwise, in this order.</summary>
    public static readonly IReadOnlyList<string> AllFeeds = ["product", "category", "order"];

    /// <summary>Creates a request for every feed, 100 items a page.</summary>
    /// <param name="feedBaseUrl">The feeds' base address, such as <c>http://shop/clerk</c>: the importer pulls <c>{feedBaseUrl}/product</c>, ….</param>
    /// <param name="publicKey">The public key the shop's feeds take (<c>key</c>).</param>
    /// <param name="privateKey">The private key the shop's feeds take (<c>private_key</c>).</param>
    public ClerkEmulatorImportRequest(Uri feedBaseUrl, string publicKey, string privateKey)
    {
        ArgumentNullException.ThrowIfNull(feedBaseUrl);
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(privateKey);
        FeedBaseUrl = feedBaseUrl;
        PublicKey = publicKey;
        PrivateKey = privateKey;
    }

    /// <summary>The feeds' base address.</summary>
    public Uri FeedBaseUrl { get; }

    /// <summary>The public key sent as <c>key</c>.</summary>
    public string PublicKey { get; }

    /// <summary>The private key sent as <c>private_key</c> (never recorded).</summary>
    public string PrivateKey { get; }

    /// <summary>The page size sent as <c>limit</c>; a page with fewer items is the last.</summary>
    /// <value>Defaults to 100; from 1 to 1,000.</value>
    public int Limit { get; init; } = 100;

    /// <summary>
    /// The public key of the store the import lands in, or <see langword="null"/> for the store whose public key is
    /// <see cref="PublicKey"/> (the default store when no store has it). The feeds are still pulled with
    /// <see cref="PublicKey"/> and <see cref="PrivateKey"/>.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? Store { get; init; }

    /// <summary>The feeds to pull, from <see cref="AllFeeds"/>.</summary>
    /// <value>Defaults to <see cref="AllFeeds"/>.</value>
    public IReadOnlyList<string> Feeds { get; init; } = AllFeeds;

    /// <summary>What is wrong with the request, in words that say how to fix it, or <see langword="null"/>.</summary>
    internal string? Problem()
    {
        if (!FeedBaseUrl.IsAbsoluteUri || FeedBaseUrl.Scheme is not ("http" or "https"))
        {
            return $"baseUrl must be the absolute http(s) address of the shop's feeds, such as http://localhost:5080/clerk; it was '{FeedBaseUrl}'.";
        }

        if (!string.IsNullOrEmpty(FeedBaseUrl.Query) || !string.IsNullOrEmpty(FeedBaseUrl.Fragment))
        {
            return "baseUrl takes no query or fragment: the keys go in key and privateKey.";
        }

        if (Limit is < 1 or > 1000)
        {
            return "limit is the page size: from 1 to 1000.";
        }

        if (Feeds.Count == 0 || Feeds.Any(f => !AllFeeds.Contains(f)) || Feeds.Distinct(StringComparer.Ordinal).Count() != Feeds.Count)
        {
            return $"feeds lists each of {string.Join(", ", AllFeeds)} at most once (at least one of them).";
        }

        return null;
    }
}
