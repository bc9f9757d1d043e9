using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// One feed over an <see cref="IQueryable{T}"/> of the shop's context, as registered: the rows, their key, the map to
/// the feed item and, for orders, the time. Built once (a singleton); the expressions it composes are what EF turns
/// into SQL, so only the mapped columns are read and navigations become subqueries. The query and the map may take
/// the <see cref="ClerkFeedRequest"/> (a shop with several Clerk stores serves each its own catalog): the request is
/// put into the map as a query parameter, so EF caches one plan for every store.
/// </summary>
internal sealed class EntityFrameworkFeed<TContext, TEntity, TKey, TItem>
    where TContext : DbContext
    where TEntity : class
    where TKey : notnull
    where TItem : class
{
    private readonly Func<DateTimeOffset?, DateTimeOffset?, Expression<Func<TEntity, bool>>?> _timeFilter;
    private readonly LambdaExpression _map;
    private readonly Expression<Func<TEntity, Keyed<TKey, TItem>>>? _keyed;
    private int _mismatchLogged;

    public EntityFrameworkFeed(
        string name,
        Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        LambdaExpression map,
        Func<TItem, ClerkProductId>? idOf,
        Func<DateTimeOffset?, DateTimeOffset?, Expression<Func<TEntity, bool>>?>? timeFilter,
        bool development)
    {
        Name = name;
        Query = query;
        Key = key;
        IdOf = idOf;
        Development = development;
        _timeFilter = timeFilter ?? ((_, _) => null);

        _map = map;

        // A map that does not take the request (one catalog for every store) is composed once, here.
        _keyed = map.Parameters.Count == 1 ? Compose(ParameterReplacer.Replace(map, key.Parameters[0])) : null;
    }

    /// <summary>The feed's name in logs and page boundaries: <c>product</c>, <c>category</c>, <c>order</c>, <c>customer</c>.</summary>
    public string Name { get; }

    public Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> Query { get; }

    public Expression<Func<TEntity, TKey>> Key { get; }

    /// <summary>
    /// <c>e =&gt; new Keyed { Key = key(e), Item = map(e, request) }</c>: the item, as <paramref name="request"/>'s store
    /// gets it, and the key it was read with.
    /// </summary>
    public Expression<Func<TEntity, Keyed<TKey, TItem>>> Keyed(ClerkFeedRequest request)
    {
        if (_keyed is { } keyed)
        {
            return keyed;
        }

        var body = new ParameterReplacer(_map.Parameters[1], QueryValue<ClerkFeedRequest>.Of(request)).Visit(_map.Body);
        return Compose(new ParameterReplacer(_map.Parameters[0], Key.Parameters[0]).Visit(body));
    }

    private Expression<Func<TEntity, Keyed<TKey, TItem>>> Compose(Expression item) =>
        Expression.Lambda<Func<TEntity, Keyed<TKey, TItem>>>(
            Expression.MemberInit(
                Expression.New(typeof(Keyed<TKey, TItem>)),
                Expression.Bind(typeof(Keyed<TKey, TItem>).GetProperty(nameof(Keyed<TKey, TItem>.Key))!, Key.Body),
                Expression.Bind(typeof(Keyed<TKey, TItem>).GetProperty(nameof(Keyed<TKey, TItem>.Item))!, item)),
            Key.Parameters[0]);

    /// <summary>The item's product ID, for the feeds whose items have one (products, categories): it must be the key's.</summary>
    public Func<TItem, ClerkProductId>? IdOf { get; }

    public bool Development { get; }

    /// <summary>The rows of a page request: the shop's query, no tracking, within the order feed's dates.</summary>
    public IQueryable<TEntity> Rows(TContext context, ClerkFeedRequest request)
    {
        var rows = Query(context, request).AsNoTracking();
        return _timeFilter(request.StartDate, request.EndDate) is { } within ? rows.Where(within) : rows;
    }

    /// <summary><c>key(e) &gt; last</c>.</summary>
    public Expression<Func<TEntity, bool>> After(TKey last) =>
        Expression.Lambda<Func<TEntity, bool>>(FeedKey<TKey>.GreaterThan(Key.Body, QueryValue<TKey>.Of(last)), Key.Parameters);

    /// <summary><c>keys.Contains(key(e))</c>.</summary>
    public Expression<Func<TEntity, bool>> In(List<TKey> keys) =>
        Expression.Lambda<Func<TEntity, bool>>(
            Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(TKey)], QueryValue<List<TKey>>.Of(keys), Key.Body),
            Key.Parameters);

    /// <summary>
    /// The map's ID must be the key's (sync finds products by key, and pages are ordered by it): a mismatch throws in
    /// Development, and is logged once elsewhere.
    /// </summary>
    public void CheckId(Keyed<TKey, TItem> keyed, ILogger logger)
    {
        if (IdOf is null)
        {
            return;
        }

        var expected = FeedKey<TKey>.ToProductId(keyed.Key);
        var actual = IdOf(keyed.Item);
        if (actual == expected)
        {
            return;
        }

        var problem = $"The {Name} feed's map gives the ID {Describe(actual)} to the row whose key is {Describe(expected)}. The map's Id must be the key (the same value and JSON type: a long key gives number IDs, a string key string IDs): pages are ordered and real-time sync finds products by the key.";
        if (Development)
        {
            throw new InvalidOperationException(problem);
        }

        if (Interlocked.Exchange(ref _mismatchLogged, 1) == 0)
        {
            ClerkEntityFrameworkLog.FeedIdMismatch(logger, Name, problem);
        }
    }

    private static string Describe(ClerkProductId id) => !id.HasValue ? "(empty)" : id.IsNumber ? id.ToString() : $"\"{id}\"";
}

/// <summary>
/// A feed's source over the request's <typeparamref name="TContext"/> (scoped): keyset pages, streamed, no tracking.
/// </summary>
internal class EntityFrameworkFeedSource<TContext, TEntity, TKey, TItem>(
    TContext context,
    EntityFrameworkFeed<TContext, TEntity, TKey, TItem> feed,
    FeedPageBoundaries boundaries,
    ILogger logger) : IClerkFeedSource<TItem>
    where TContext : DbContext
    where TEntity : class
    where TKey : notnull
    where TItem : class
{
    protected TContext Context => context;

    protected EntityFrameworkFeed<TContext, TEntity, TKey, TItem> Feed => feed;

    protected ILogger Logger => logger;

    public async IAsyncEnumerable<TItem> GetPageAsync(ClerkFeedRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Page < 1 || request.Limit < 1)
        {
            yield break;
        }

        var rows = feed.Rows(context, request);
        IQueryable<TEntity> page;
        string paging;
        if (request.Page == 1)
        {
            page = rows;
            paging = "the first page";
        }
        else if (boundaries.TryGet(PageOf(request, request.Page - 1), out var served) && served is TKey last)
        {
            page = rows.Where(feed.After(last));
            paging = "keyset after the previous page's last key";
        }
        else
        {
            // Page n-1 was served by another instance, or before a restart: its last key, from the key column alone
            // (an index-only scan), then keyset as usual.
            var skip = ((long)(request.Page - 1) * request.Limit) - 1;
            if (skip > int.MaxValue)
            {
                yield break;
            }

            var boundary = await rows.OrderBy(feed.Key).Select(feed.Key).Skip((int)skip).Take(1)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            ClerkEntityFrameworkLog.FeedBoundaryLookedUp(logger, feed.Name, request.Page, request.Limit, boundary.Count > 0);
            if (boundary.Count == 0)
            {
                yield break;
            }

            page = rows.Where(feed.After(boundary[0]));
            paging = "keyset after a looked-up boundary";
        }

        var count = 0;
        await foreach (var keyed in page.OrderBy(feed.Key).Take(request.Limit).Select(feed.Keyed(request))
            .AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            feed.CheckId(keyed, logger);
            count++;
            if (count == request.Limit)
            {
                // A full page's last key is where the next page starts. Kept before the item is handed out: the feed
                // stops asking once it has Limit items, so nothing after this yield runs for a full page.
                boundaries.Set(PageOf(request, request.Page), keyed.Key);
                ClerkEntityFrameworkLog.FeedPageServed(logger, feed.Name, request.Page, request.Limit, count, paging);
            }

            yield return keyed.Item;
        }

        if (count < request.Limit)
        {
            // The last page (short, or empty): no page follows it today, so no boundary to keep.
            ClerkEntityFrameworkLog.FeedPageServed(logger, feed.Name, request.Page, request.Limit, count, paging);
        }
    }

    private PageKey PageOf(ClerkFeedRequest request, int page) =>
        new(feed.Name, request.Store ?? "", request.Limit, page, request.StartDate, request.EndDate);
}

/// <summary>
/// The product feed's source, which real-time sync also asks for products by ID, store by store: with a query or map
/// that takes the request, each store's lookup reads that store's products.
/// </summary>
internal sealed class EntityFrameworkProductSource<TContext, TEntity, TKey>(
    TContext context,
    EntityFrameworkFeed<TContext, TEntity, TKey, ClerkFeedProduct> feed,
    FeedPageBoundaries boundaries,
    ILogger logger)
    : EntityFrameworkFeedSource<TContext, TEntity, TKey, ClerkFeedProduct>(context, feed, boundaries, logger), IClerkProductSource
    where TContext : DbContext
    where TEntity : class
    where TKey : notnull
{
    /// <summary>Without a store: the request a query or map that takes one gets is the default store's name, with no key.</summary>
    public IAsyncEnumerable<ClerkFeedProduct> FindAsync(IReadOnlyCollection<ClerkProductId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return FindAsync(new ClerkFeedRequest { Store = "", Page = 1, Limit = Math.Max(1, ids.Count) }, ids, cancellationToken);
    }

    public async IAsyncEnumerable<ClerkFeedProduct> FindAsync(ClerkFeedRequest request, IReadOnlyCollection<ClerkProductId> ids, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ids);

        // An ID that cannot be a key (the other JSON type) names no row: not returned, so sync removes it from Clerk.
        var keys = new List<TKey>(ids.Count);
        foreach (var id in ids)
        {
            if (FeedKey<TKey>.TryFromProductId(id, out var key))
            {
                keys.Add(key);
            }
        }

        if (keys.Count == 0)
        {
            yield break;
        }

        await foreach (var keyed in Feed.Query(Context, request).AsNoTracking().Where(Feed.In(keys)).Select(Feed.Keyed(request))
            .AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Feed.CheckId(keyed, Logger);
            yield return keyed.Item;
        }
    }
}
