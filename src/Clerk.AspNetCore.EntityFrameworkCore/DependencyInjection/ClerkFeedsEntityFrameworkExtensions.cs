using System.Linq.Expressions;
using Clerk.AspNetCore;
using Clerk.AspNetCore.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The data feeds over the shop's own EF Core model (<c>services.AddClerkFeeds().AddProducts(…)</c>): each feed is an
/// <see cref="IQueryable{T}"/> of the request's context, a key and a map to the feed item, read
/// with keyset paging (no <c>OFFSET</c> scan over a large table), without tracking, streamed. And real-time sync on
/// <c>SaveChanges</c> (<see cref="SyncOnSaveChanges{TContext, TEntity}"/>).
/// </summary>
/// <remarks>
/// <para>
/// The key orders the feed and pages it: it must be unique (the primary key, usually) and should be indexed. Key
/// types: <see cref="long"/>, <see cref="int"/> and <see cref="short"/> (number IDs), <see cref="string"/> and
/// <see cref="Guid"/> (string IDs). For products and categories the map's <c>Id</c> must be the key, of the same JSON
/// type (a long key, a number ID): real-time sync finds products by it. Development checks it and throws.
/// </para>
/// <para>
/// The map is an expression, so EF translates it to SQL: only the columns it uses are read, and a navigation such as
/// <c>p.Categories.Select(c =&gt; (ClerkProductId)c.Id).ToList()</c> becomes a subquery. Keep it translatable.
/// </para>
/// </remarks>
public static class ClerkFeedsEntityFrameworkExtensions
{
    /// <summary>Uses an EF Core query for the product feed and for real-time sync's lookups.</summary>
    /// <typeparam name="TContext">The shop's context (registered with <c>AddDbContext</c> or <c>AddDbContextPool</c>).</typeparam>
    /// <typeparam name="TEntity">The product entity.</typeparam>
    /// <typeparam name="TKey">The product's key: the ID Clerk knows it by.</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">The products in the feed, for example <c>(ShopDbContext db) =&gt; db.Products.Where(p =&gt; p.Visible)</c>.</param>
    /// <param name="key">The key, for example <c>p =&gt; p.Id</c>.</param>
    /// <param name="map">The product as Clerk gets it, for example <c>p =&gt; new ClerkFeedProduct { Id = p.Id, Name = p.Name, Price = p.Price }</c>.</param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddProducts<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, ClerkFeedProduct>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(query);
        return AddProducts(feeds, (TContext db, ClerkFeedRequest _) => query(db), key, (LambdaExpression)map);
    }

    /// <summary>
    /// Uses an EF Core query for the product feed and for real-time sync's lookups, store by store: the query and the
    /// map get the <see cref="ClerkFeedRequest"/> of the store that asks (<see cref="ClerkFeedRequest.StoreName"/>,
    /// <see cref="ClerkFeedRequest.Language"/>), so a shop with several Clerk stores gives each its own products, names
    /// and prices. Real-time sync asks once per store, with that store's request.
    /// </summary>
    /// <typeparam name="TContext">The shop's context (registered with <c>AddDbContext</c> or <c>AddDbContextPool</c>).</typeparam>
    /// <typeparam name="TEntity">The product entity.</typeparam>
    /// <typeparam name="TKey">The product's key: the ID Clerk knows it by (the same in every store).</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">
    /// The products in the store's feed, for example
    /// <c>(ShopDbContext db, ClerkFeedRequest r) =&gt; db.Products.Where(p =&gt; p.Markets.Any(m =&gt; m.Code == r.StoreName))</c>.
    /// </param>
    /// <param name="key">The key, for example <c>p =&gt; p.Id</c>.</param>
    /// <param name="map">
    /// The product as the store's Clerk gets it; the request's values become query parameters, for example
    /// <c>(p, r) =&gt; new ClerkFeedProduct { Id = p.Id, Name = r.StoreName == "dk" ? p.NameDa : p.Name, Price = p.Price }</c>.
    /// </param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddProducts<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, ClerkFeedRequest, ClerkFeedProduct>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull =>
        AddProducts(feeds, query, key, (LambdaExpression)map);

    private static ClerkFeedsBuilder AddProducts<TContext, TEntity, TKey>(
        ClerkFeedsBuilder feeds, Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query, Expression<Func<TEntity, TKey>> key, LambdaExpression map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        var services = Check(feeds, query, key, map);
        AddFeed<TContext, TEntity, TKey, ClerkFeedProduct>(services, "product", query, key, map, p => p.Id, timeFilter: null);
        services.Replace(ServiceDescriptor.Scoped<IClerkProductSource>(sp => new EntityFrameworkProductSource<TContext, TEntity, TKey>(
            sp.GetRequiredService<TContext>(),
            sp.GetRequiredService<EntityFrameworkFeed<TContext, TEntity, TKey, ClerkFeedProduct>>(),
            sp.GetRequiredService<FeedPageBoundaries>(),
            Logger(sp))));
        return feeds;
    }

    /// <summary>Uses an EF Core query for the category feed.</summary>
    /// <typeparam name="TContext">The shop's context.</typeparam>
    /// <typeparam name="TEntity">The category entity.</typeparam>
    /// <typeparam name="TKey">The category's key: the ID the products' categories use.</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">The categories in the feed.</param>
    /// <param name="key">The key.</param>
    /// <param name="map">The category as Clerk gets it.</param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddCategories<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, ClerkFeedCategory>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(query);
        return AddCategories(feeds, (TContext db, ClerkFeedRequest _) => query(db), key, (LambdaExpression)map);
    }

    /// <summary>
    /// Uses an EF Core query for the category feed, store by store: the query and the map get the
    /// <see cref="ClerkFeedRequest"/> of the store that asks (its categories, their names in its language).
    /// </summary>
    /// <typeparam name="TContext">The shop's context.</typeparam>
    /// <typeparam name="TEntity">The category entity.</typeparam>
    /// <typeparam name="TKey">The category's key: the ID the products' categories use.</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">The categories in the store's feed.</param>
    /// <param name="key">The key.</param>
    /// <param name="map">The category as the store's Clerk gets it; the request's values become query parameters.</param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddCategories<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, ClerkFeedRequest, ClerkFeedCategory>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull =>
        AddCategories(feeds, query, key, (LambdaExpression)map);

    private static ClerkFeedsBuilder AddCategories<TContext, TEntity, TKey>(
        ClerkFeedsBuilder feeds, Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query, Expression<Func<TEntity, TKey>> key, LambdaExpression map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        var services = Check(feeds, query, key, map);
        AddFeed<TContext, TEntity, TKey, ClerkFeedCategory>(services, "category", query, key, map, c => c.Id, timeFilter: null);
        services.Replace(ServiceDescriptor.Scoped<IClerkFeedSource<ClerkFeedCategory>>(Source<TContext, TEntity, TKey, ClerkFeedCategory>));
        return feeds;
    }

    /// <summary>
    /// Uses an EF Core query for the order feed; <c>start_date</c> and <c>end_date</c> filter on
    /// <paramref name="time"/> (at or after the start, before the end).
    /// </summary>
    /// <typeparam name="TContext">The shop's context.</typeparam>
    /// <typeparam name="TEntity">The order entity.</typeparam>
    /// <typeparam name="TKey">The order's key, which orders the feed (the order ID the feed gives may be another column).</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">The orders in the feed.</param>
    /// <param name="key">The key.</param>
    /// <param name="time">When the order was placed.</param>
    /// <param name="map">The order as Clerk gets it; its <c>Id</c> is the order ID its sale was tracked with.</param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddOrders<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, DateTimeOffset>> time,
        Expression<Func<TEntity, ClerkFeedOrder>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(query);
        return AddOrders(feeds, (TContext db, ClerkFeedRequest _) => query(db), key, map, Within(time, at => at.ToUniversalTime()));
    }

    /// <summary>
    /// Uses an EF Core query for the order feed, whose order time is a UTC <see cref="DateTime"/> (SQLite cannot compare
    /// <see cref="DateTimeOffset"/> columns); <c>start_date</c> and <c>end_date</c> filter on <paramref name="time"/>.
    /// </summary>
    /// <typeparam name="TContext">The shop's context.</typeparam>
    /// <typeparam name="TEntity">The order entity.</typeparam>
    /// <typeparam name="TKey">The order's key, which orders the feed.</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">The orders in the feed.</param>
    /// <param name="key">The key.</param>
    /// <param name="time">When the order was placed, in UTC.</param>
    /// <param name="map">The order as Clerk gets it; its <c>Id</c> is the order ID its sale was tracked with.</param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddOrders<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, DateTime>> time,
        Expression<Func<TEntity, ClerkFeedOrder>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(query);
        return AddOrders(feeds, (TContext db, ClerkFeedRequest _) => query(db), key, map, Within(time, at => at.UtcDateTime));
    }

    /// <summary>
    /// Uses an EF Core query for the order feed, store by store: the query and the map get the
    /// <see cref="ClerkFeedRequest"/> of the store that asks, so each store's importer gets the orders placed in that
    /// store (its analytics are its own); <c>start_date</c> and <c>end_date</c> filter on <paramref name="time"/>.
    /// </summary>
    /// <typeparam name="TContext">The shop's context.</typeparam>
    /// <typeparam name="TEntity">The order entity.</typeparam>
    /// <typeparam name="TKey">The order's key, which orders the feed.</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">The store's orders, for example <c>(ShopDbContext db, ClerkFeedRequest r) =&gt; db.Orders.Where(o =&gt; o.Market == r.StoreName)</c>.</param>
    /// <param name="key">The key.</param>
    /// <param name="time">When the order was placed.</param>
    /// <param name="map">The order as the store's Clerk gets it; the request's values become query parameters.</param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddOrders<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, DateTimeOffset>> time,
        Expression<Func<TEntity, ClerkFeedRequest, ClerkFeedOrder>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(time);
        return AddOrders(feeds, query, key, map, Within(time, at => at.ToUniversalTime()));
    }

    /// <summary>
    /// Uses an EF Core query for the order feed, store by store, whose order time is a UTC <see cref="DateTime"/>; see
    /// the overload with a <see cref="DateTimeOffset"/> time.
    /// </summary>
    /// <typeparam name="TContext">The shop's context.</typeparam>
    /// <typeparam name="TEntity">The order entity.</typeparam>
    /// <typeparam name="TKey">The order's key, which orders the feed.</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">The store's orders.</param>
    /// <param name="key">The key.</param>
    /// <param name="time">When the order was placed, in UTC.</param>
    /// <param name="map">The order as the store's Clerk gets it; the request's values become query parameters.</param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddOrders<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, DateTime>> time,
        Expression<Func<TEntity, ClerkFeedRequest, ClerkFeedOrder>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(time);
        return AddOrders(feeds, query, key, map, Within(time, at => at.UtcDateTime));
    }

    /// <summary>
    /// Uses an EF Core query for the customer feed, which is mapped only when this is called: customers are personal
    /// data, shared with Clerk only on purpose.
    /// </summary>
    /// <typeparam name="TContext">The shop's context.</typeparam>
    /// <typeparam name="TEntity">The customer entity.</typeparam>
    /// <typeparam name="TKey">The customer's key, which orders the feed.</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">The customers in the feed.</param>
    /// <param name="key">The key.</param>
    /// <param name="map">The customer as Clerk gets it; its <c>Id</c> is the one the order feed's <c>customer</c> uses.</param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddCustomers<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, ClerkFeedCustomer>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(query);
        return AddCustomers(feeds, (TContext db, ClerkFeedRequest _) => query(db), key, (LambdaExpression)map);
    }

    /// <summary>
    /// Uses an EF Core query for the customer feed, store by store (the store's own customers), mapped only when this
    /// is called: customers are personal data, shared with Clerk only on purpose.
    /// </summary>
    /// <typeparam name="TContext">The shop's context.</typeparam>
    /// <typeparam name="TEntity">The customer entity.</typeparam>
    /// <typeparam name="TKey">The customer's key, which orders the feed.</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="query">The store's customers.</param>
    /// <param name="key">The key.</param>
    /// <param name="map">The customer as the store's Clerk gets it; the request's values become query parameters.</param>
    /// <returns>The builder.</returns>
    public static ClerkFeedsBuilder AddCustomers<TContext, TEntity, TKey>(
        this ClerkFeedsBuilder feeds,
        Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, ClerkFeedRequest, ClerkFeedCustomer>> map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull =>
        AddCustomers(feeds, query, key, (LambdaExpression)map);

    private static ClerkFeedsBuilder AddCustomers<TContext, TEntity, TKey>(
        ClerkFeedsBuilder feeds, Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query, Expression<Func<TEntity, TKey>> key, LambdaExpression map)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        var services = Check(feeds, query, key, map);
        AddFeed<TContext, TEntity, TKey, ClerkFeedCustomer>(services, "customer", query, key, map, idOf: null, timeFilter: null);
        services.Replace(ServiceDescriptor.Scoped<IClerkFeedSource<ClerkFeedCustomer>>(Source<TContext, TEntity, TKey, ClerkFeedCustomer>));
        return feeds;
    }

    /// <summary>
    /// Sends products to Clerk when a <c>SaveChanges</c> of <typeparamref name="TContext"/> adds, changes or deletes a
    /// <typeparamref name="TEntity"/>: after the save succeeds, the products <paramref name="product"/> names are given
    /// to <see cref="IClerkCatalogSync.ProductsChangedAsync"/>, on the same context, so that with the EF Core outbox
    /// (<c>AddClerkEntityFrameworkStores&lt;TContext&gt;</c>) the sync message joins the transaction the caller has
    /// open. Call it for the product entity (<c>p =&gt; p.Id</c>), and for any entity a product's feed data comes from
    /// (<c>(StockLevel s) =&gt; s.ProductId</c>). Works with <c>AddDbContext</c> and <c>AddDbContextPool</c>; the
    /// shop's registration of the context is not changed.
    /// </summary>
    /// <typeparam name="TContext">The shop's context.</typeparam>
    /// <typeparam name="TEntity">An entity whose changes change a product.</typeparam>
    /// <param name="feeds">The feeds builder.</param>
    /// <param name="product">The parent product an entity belongs to, as the product feed's ID.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Every save of such an entity queues its product, whichever property changed; a deleted product, or one the
    /// product query no longer returns, is removed from Clerk when the change is sent. Without a transaction of the
    /// caller's, the sync message is written right after the save's own transaction commits: a crash between the two
    /// loses the sync of that change until the next import (open a transaction around the save to make it atomic).
    /// </remarks>
    public static ClerkFeedsBuilder SyncOnSaveChanges<TContext, TEntity>(this ClerkFeedsBuilder feeds, Func<TEntity, ClerkProductId> product)
        where TContext : DbContext
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(feeds);
        ArgumentNullException.ThrowIfNull(product);

        var services = feeds.Services;
        if (services.FirstOrDefault(d => d.ServiceType == typeof(CatalogSyncRegistrations<TContext>))?.ImplementationInstance
            is not CatalogSyncRegistrations<TContext> registrations)
        {
            registrations = new CatalogSyncRegistrations<TContext>();
            services.AddSingleton(registrations);
            AddShared(services);
            services.TryAddSingleton<CatalogSyncInterceptor<TContext>>();

            // Applied to the options of TContext however the shop registers it (pooled options are built once, from
            // the root provider, which is where the interceptor, a singleton, comes from).
            services.ConfigureDbContext<TContext>((provider, options) => options.AddInterceptors(provider.GetRequiredService<CatalogSyncInterceptor<TContext>>()));
        }

        registrations.Add(typeof(TEntity), entity => product((TEntity)entity));
        return feeds;
    }

    private static ClerkFeedsBuilder AddOrders<TContext, TEntity, TKey>(
        ClerkFeedsBuilder feeds,
        Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        LambdaExpression map,
        Func<DateTimeOffset?, DateTimeOffset?, Expression<Func<TEntity, bool>>?> timeFilter)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
    {
        var services = Check(feeds, query, key, map);
        AddFeed<TContext, TEntity, TKey, ClerkFeedOrder>(services, "order", query, key, map, idOf: null, timeFilter);
        services.Replace(ServiceDescriptor.Scoped<IClerkFeedSource<ClerkFeedOrder>>(Source<TContext, TEntity, TKey, ClerkFeedOrder>));
        return feeds;
    }

    /// <summary><c>time(e) &gt;= start &amp;&amp; time(e) &lt; end</c>, either bound left out when absent.</summary>
    private static Func<DateTimeOffset?, DateTimeOffset?, Expression<Func<TEntity, bool>>?> Within<TEntity, TTime>(
        Expression<Func<TEntity, TTime>> time, Func<DateTimeOffset, TTime> convert)
    {
        return (start, end) =>
        {
            Expression? body = null;
            if (start is { } from)
            {
                body = Expression.GreaterThanOrEqual(time.Body, QueryValue<TTime>.Of(convert(from)));
            }

            if (end is { } to)
            {
                var before = Expression.LessThan(time.Body, QueryValue<TTime>.Of(convert(to)));
                body = body is null ? before : Expression.AndAlso(body, before);
            }

            return body is null ? null : Expression.Lambda<Func<TEntity, bool>>(body, time.Parameters);
        };
    }

    private static IServiceCollection Check<TContext, TEntity, TKey>(
        ClerkFeedsBuilder feeds, Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query, Expression<Func<TEntity, TKey>> key, LambdaExpression map)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(feeds);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(map);
        if (!FeedKey<TKey>.IsSupported)
        {
            throw new ArgumentException(
                $"A feed's key of type {typeof(TKey).Name} is not supported: use long, int or short (number IDs), or string or Guid (string IDs).", nameof(key));
        }

        AddShared(feeds.Services);
        return feeds.Services;
    }

    private static void AddShared(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FeedPageBoundaries>();
        services.TryAddSingleton(sp => new ClerkFeedSyncEnvironment(sp.GetService<IHostEnvironment>()?.IsDevelopment() == true));
    }

    /// <summary>The feed's definition, a singleton: the composed expressions are the same for every request.</summary>
    private static void AddFeed<TContext, TEntity, TKey, TItem>(
        IServiceCollection services,
        string name,
        Func<TContext, ClerkFeedRequest, IQueryable<TEntity>> query,
        Expression<Func<TEntity, TKey>> key,
        LambdaExpression map,
        Func<TItem, ClerkProductId>? idOf,
        Func<DateTimeOffset?, DateTimeOffset?, Expression<Func<TEntity, bool>>?>? timeFilter)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
        where TItem : class =>
        services.Replace(ServiceDescriptor.Singleton(sp => new EntityFrameworkFeed<TContext, TEntity, TKey, TItem>(
            name, query, key, map, idOf, timeFilter, sp.GetRequiredService<ClerkFeedSyncEnvironment>().IsDevelopment)));

    private static EntityFrameworkFeedSource<TContext, TEntity, TKey, TItem> Source<TContext, TEntity, TKey, TItem>(IServiceProvider services)
        where TContext : DbContext
        where TEntity : class
        where TKey : notnull
        where TItem : class =>
        new(services.GetRequiredService<TContext>(), services.GetRequiredService<EntityFrameworkFeed<TContext, TEntity, TKey, TItem>>(),
            services.GetRequiredService<FeedPageBoundaries>(), Logger(services));

    private static ILogger Logger(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Clerk.AspNetCore.EntityFrameworkCore.Feeds");
}
