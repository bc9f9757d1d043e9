namespace Clerk.AspNetCore;

/// <summary>
/// Where a feed's items come from. The feed asks for one page at a time and writes the items as they come, so a
/// source should stream them (an <see cref="IAsyncEnumerable{T}"/> over a database reader) rather than build a list.
/// </summary>
/// <typeparam name="TItem">
/// <see cref="ClerkFeedProduct"/>, <see cref="ClerkFeedCategory"/>, <see cref="ClerkFeedOrder"/> or <see cref="ClerkFeedCustomer"/>.
/// </typeparam>
/// <remarks>
/// Items are ordered by ID, and page <c>n</c> holds the items after those of page <c>n - 1</c>, so that paging to the
/// end returns every item once even while items are added. A page past the end is empty. Sources are resolved from
/// the request's services (scoped), so they may use the request's <c>DbContext</c>. A shop with several Clerk stores
/// gets one request per store: <see cref="ClerkFeedRequest.StoreName"/> says whose catalog to return.
/// </remarks>
public interface IClerkFeedSource<TItem>
    where TItem : class
{
    /// <summary>Returns the items of one page, in ID order.</summary>
    /// <param name="request">The page.</param>
    /// <param name="cancellationToken">Cancelled when the importer goes away.</param>
    /// <returns>The page's items, at most <see cref="ClerkFeedRequest.Limit"/>.</returns>
    IAsyncEnumerable<TItem> GetPageAsync(ClerkFeedRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// The product source, which real-time sync also asks for the current state of products that changed
/// (<see cref="IClerkCatalogSync"/>).
/// </summary>
public interface IClerkProductSource : IClerkFeedSource<ClerkFeedProduct>
{
    /// <summary>
    /// Returns the products with these IDs as the feed would give them now. A product that is not returned (deleted,
    /// hidden, no longer for sale) is removed from Clerk.
    /// </summary>
    /// <param name="ids">The parent product IDs; at most <see cref="ClerkFeedOptions.SyncBatchSize"/> (100 by default).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The products that exist and belong in the feed, in any order.</returns>
    IAsyncEnumerable<ClerkFeedProduct> FindAsync(IReadOnlyCollection<ClerkProductId> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Returns the products with these IDs as the feed of <paramref name="request"/>'s store would give them now: the
    /// one real-time sync calls, once per store it sends a change to. A product that is not returned is removed from
    /// that store in Clerk. By default <see cref="FindAsync(IReadOnlyCollection{ClerkProductId}, CancellationToken)"/>,
    /// the same for every store; a shop whose stores have catalogs of their own implements this one too.
    /// </summary>
    /// <param name="request">
    /// The store (<see cref="ClerkFeedRequest.Store"/>, <see cref="ClerkFeedRequest.StoreName"/>,
    /// <see cref="ClerkFeedRequest.Language"/>); <c>Page</c> is 1 and <c>Limit</c> at least the number of IDs.
    /// </param>
    /// <param name="ids">The parent product IDs; at most <see cref="ClerkFeedOptions.SyncBatchSize"/> (100 by default).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The products that exist and belong in that store's feed, in any order.</returns>
    IAsyncEnumerable<ClerkFeedProduct> FindAsync(ClerkFeedRequest request, IReadOnlyCollection<ClerkProductId> ids, CancellationToken cancellationToken) =>
        FindAsync(ids, cancellationToken);
}
