namespace Clerk.AspNetCore;

/// <summary>
/// One page of a feed, as Clerk's importer asked for it, checked: the source returns that page's items. Also what
/// real-time sync asks <see cref="IClerkProductSource.FindAsync(ClerkFeedRequest, IReadOnlyCollection{ClerkProductId}, CancellationToken)"/>
/// with, for the store it sends to.
/// </summary>
/// <remarks>
/// A shop with several Clerk stores (<see cref="ClerkOptions.Stores"/>) serves each store its own catalog: the request
/// says which store is asking (<see cref="StoreName"/>, <see cref="Language"/>), so a source can give that store's
/// products, names in its language, prices in its currency.
/// </remarks>
public sealed class ClerkFeedRequest
{
    /// <summary>The public key of the Clerk store the importer authenticated as (or real-time sync sends to).</summary>
    public required string Store { get; init; }

    /// <summary>
    /// The name of that store: its key in <see cref="ClerkOptions.Stores"/>, or <see cref="ClerkStore.DefaultName"/>
    /// (<c>default</c>) for a shop configured with <see cref="ClerkOptions.PublicKey"/>.
    /// </summary>
    /// <value><see cref="ClerkStore.DefaultName"/> unless set.</value>
    public string StoreName { get; init; } = ClerkStore.DefaultName;

    /// <summary>The store's language as Clerk.js names it (<c>danish</c>, <c>english</c> ...), if one is configured.</summary>
    public string? Language { get; init; }

    /// <summary>The page, counting from 1.</summary>
    public required int Page { get; init; }

    /// <summary>How many items a page holds; every page but the last holds exactly this many.</summary>
    public required int Limit { get; init; }

    /// <summary>For the order feed: only orders placed at or after this time (<c>start_date</c>).</summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>For the order feed: only orders placed before this time (<c>end_date</c>).</summary>
    public DateTimeOffset? EndDate { get; init; }

    /// <summary>The request of <paramref name="store"/> for real-time sync's lookups of up to <paramref name="limit"/> products.</summary>
    internal static ClerkFeedRequest ForSync(ClerkStore store, int limit) => new()
    {
        Store = store.PublicKey,
        StoreName = store.Name,
        Language = store.Language,
        Page = 1,
        Limit = Math.Max(1, limit),
    };
}
