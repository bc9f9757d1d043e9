using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>
/// The EF Core feed adapter (<c>AddProducts(query, key, map)</c> and its kin) on each provider: keyset pages that
/// return the table exactly, also while rows are added, without <c>OFFSET</c> once a page's boundary is known; a
/// boundary found with a keys-only query when it is not; <c>FindAsync</c> for real-time sync. Each test keeps its rows
/// apart by a tag of its own in the shared database.
/// </summary>
public abstract class FeedAdapterTests(TestDatabase database) : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly List<ClerkInstance> _instances = [];
    private readonly string _tag = "t" + Guid.NewGuid().ToString("N")[..12];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A shop with the product feed over its visible products (the map reads the categories through the navigation).</summary>
    private ClerkInstance Shop(Action<ClerkFeedsBuilder>? feeds = null, string environment = "Production", bool products = true)
    {
        var tag = _tag;
        var shop = new ClerkInstance(database, _time, "store-" + tag, services =>
        {
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
            services.AddClerk(o => o.PrivateKey = "private-" + tag);
            var builder = services.AddClerkFeeds();
            if (products)
            {
                builder.AddProducts(
                    (ShopContext db) => db.Products.Where(p => p.Shop == tag && p.Visible),
                    p => p.Id,
                    p => new ClerkFeedProduct
                    {
                        Id = p.Id,
                        Name = p.Name,
                        Price = p.Price,
                        Url = p.Url,
                        Categories = p.Categories.OrderBy(c => c.Id).Select(c => (ClerkProductId)c.Id).ToList(),
                    });
            }

            feeds?.Invoke(builder);
        });
        _instances.Add(shop);
        return shop;
    }

    private async Task<List<long>> InsertAsync(ClerkInstance shop, int count, bool visible = true, List<ShopCategory>? categories = null)
    {
        await using var scope = shop.NewScope(out var db);
        if (categories is not null)
        {
            db.Categories.AttachRange(categories.Where(c => c.Id != 0));
        }

        var products = Enumerable.Range(0, count)
            .Select(i => new ShopProduct { Shop = _tag, Name = $"{_tag} {i}", Price = 10m + i, Visible = visible, Categories = categories ?? [] })
            .ToList();
        db.Products.AddRange(products);
        await db.SaveChangesAsync(Ct);
        return [.. products.Select(p => p.Id)];
    }

    private static async Task<List<TItem>> PageAsync<TItem>(ClerkInstance shop, int page, int limit, DateTimeOffset? start = null, DateTimeOffset? end = null)
        where TItem : class
    {
        await using var scope = shop.Services.CreateAsyncScope();
        var source = scope.ServiceProvider.GetRequiredService<IClerkFeedSource<TItem>>();
        var items = new List<TItem>();
        var request = new ClerkFeedRequest { Store = shop.Store, Page = page, Limit = limit, StartDate = start, EndDate = end };
        await foreach (var item in source.GetPageAsync(request, Ct))
        {
            items.Add(item);

            // As the feed endpoint does: it stops asking once it has a page's items (the source is not read to its end).
            if (items.Count == limit)
            {
                break;
            }
        }

        return items;
    }

    private static Task<List<ClerkFeedProduct>> ProductPageAsync(ClerkInstance shop, int page, int limit)
    {
        return Products();

        async Task<List<ClerkFeedProduct>> Products()
        {
            await using var scope = shop.Services.CreateAsyncScope();
            var source = scope.ServiceProvider.GetRequiredService<IClerkProductSource>();
            var items = new List<ClerkFeedProduct>();
            await foreach (var item in source.GetPageAsync(new ClerkFeedRequest { Store = shop.Store, Page = page, Limit = limit }, Ct))
            {
                items.Add(item);
                if (items.Count == limit)
                {
                    break;   // as the feed endpoint does
                }
            }

            return items;
        }
    }

    private static async Task<List<ClerkFeedProduct>> AllPagesAsync(ClerkInstance shop, int limit, Func<int, Task>? betweenPages = null)
    {
        var all = new List<ClerkFeedProduct>();
        for (var page = 1; ; page++)
        {
            var items = await ProductPageAsync(shop, page, limit);
            all.AddRange(items);
            if (items.Count < limit)
            {
                return all;
            }

            if (betweenPages is not null)
            {
                await betweenPages(page);
            }
        }
    }

    private static long Number(ClerkFeedProduct product) => product.Id.Number;

    [Fact]
    public async Task GetPageAsync_PagingToTheEnd_ReturnsTheQuerysRowsExactlyOnceInKeyOrder()
    {
        var shop = Shop();
        var category = new ShopCategory { Name = "Sofas" };
        var visible = await InsertAsync(shop, 95, categories: [category]);
        await InsertAsync(shop, 7, visible: false);
        visible.AddRange(await InsertAsync(shop, 10));

        var all = await AllPagesAsync(shop, limit: 20);

        Assert.Equal(visible.Order(), all.Select(Number));
        var first = all[0];
        Assert.Equal($"{_tag} 0", first.Name);
        Assert.Equal(10m, first.Price);
        Assert.Equal([(ClerkProductId)category.Id], first.Categories);
        Assert.Empty(all[^1].Categories);
    }

    [Fact]
    public async Task GetPageAsync_RowsAddedDuringPaging_NoDuplicatesNoGapsAndTheNewOnesAtTheEnd()
    {
        var shop = Shop();
        var before = await InsertAsync(shop, 60);
        var added = new List<long>();

        var all = await AllPagesAsync(shop, limit: 25, betweenPages: async _ => added.AddRange(await InsertAsync(shop, 5)));

        var ids = all.Select(Number).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(before, ids.Take(before.Count));
        Assert.Equal([.. before, .. added], ids);
    }

    [Fact]
    public async Task GetPageAsync_PagesAfterTheFirst_RunKeysetSqlWithoutOffset()
    {
        var shop = Shop();
        var ids = await InsertAsync(shop, 30);
        await ProductPageAsync(shop, 1, 10);
        shop.Commands.Clear();

        var second = await ProductPageAsync(shop, 2, 10);
        var third = await ProductPageAsync(shop, 3, 10);

        Assert.Equal(ids.Skip(10).Take(10), second.Select(Number));
        Assert.Equal(ids.Skip(20).Take(10), third.Select(Number));
        var sql = shop.Commands.All;
        Assert.Equal(2, sql.Count);
        Assert.All(sql, command =>
        {
            Assert.DoesNotContain("OFFSET", command, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("> @", command, StringComparison.Ordinal);
            Assert.Contains("LIMIT", command, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task GetPageAsync_BoundaryUnknown_IsFoundWithAKeysOnlyQueryAndTheRightPageServed()
    {
        var shop = Shop();
        var ids = await InsertAsync(shop, 50);
        await ProductPageAsync(shop, 1, 10);
        await ProductPageAsync(shop, 2, 10);

        // Page 3 served by another instance, or this one restarted: page 4's start is unknown here.
        shop.Services.GetRequiredService<FeedPageBoundaries>().Clear();
        shop.Commands.Clear();
        var fourth = await ProductPageAsync(shop, 4, 10);
        var fifth = await ProductPageAsync(shop, 5, 10);

        Assert.Equal(ids.Skip(30).Take(10), fourth.Select(Number));
        Assert.Equal(ids.Skip(40).Take(10), fifth.Select(Number));
        var sql = shop.Commands.All;
        Assert.Equal(3, sql.Count);
        var lookup = sql[0];
        Assert.Contains("OFFSET", lookup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"Name\"", lookup, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Price\"", lookup, StringComparison.Ordinal);
        Assert.All(sql.Skip(1), command => Assert.DoesNotContain("OFFSET", command, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(shop.Logs.GetSnapshot(), r => r.Id.Id == 65);
    }

    [Fact]
    public async Task GetPageAsync_PagePastTheEnd_IsEmptyWithOrWithoutABoundary()
    {
        var shop = Shop();
        await InsertAsync(shop, 12);

        var known = await ProductPageAsync(shop, 2, 10);
        var pastKnown = await ProductPageAsync(shop, 3, 10);
        var unknown = await ProductPageAsync(shop, 9, 10);

        Assert.Equal(2, known.Count);
        Assert.Empty(pastKnown);
        Assert.Empty(unknown);
    }

    [Fact]
    public async Task FindAsync_Ids_ReturnsTheQuerysProductsWithTheSameMapAndNothingElse()
    {
        var shop = Shop();
        var category = new ShopCategory { Name = "Lamps" };
        var visible = await InsertAsync(shop, 3, categories: [category]);
        var hidden = await InsertAsync(shop, 1, visible: false);
        await using var scope = shop.Services.CreateAsyncScope();
        var source = scope.ServiceProvider.GetRequiredService<IClerkProductSource>();

        var found = new List<ClerkFeedProduct>();
        await foreach (var product in source.FindAsync([visible[0], visible[2], hidden[0], 999_999_999, visible[1].ToString(System.Globalization.CultureInfo.InvariantCulture)], Ct))
        {
            found.Add(product);
        }

        Assert.Equal([visible[0], visible[2]], found.Select(Number).Order());
        Assert.All(found, p => Assert.Equal([(ClerkProductId)category.Id], p.Categories));
        Assert.All(found, p => Assert.StartsWith(_tag, p.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetPageAsync_StringKeys_PageInTheDatabasesOrderWithStringIds()
    {
        var tag = _tag;
        var shop = Shop(feeds => feeds.AddCategories((ShopContext db) => db.Tags.Where(t => t.Shop == tag), t => t.Code, t => new ClerkFeedCategory { Id = t.Code, Name = t.Name }));
        await using (var scope = shop.NewScope(out var db))
        {
            db.Tags.AddRange(Enumerable.Range(0, 23).Select(i => new ShopTag { Code = $"{tag}-{(char)('a' + i)}{i}", Shop = tag, Name = $"Tag {i}" }));
            await db.SaveChangesAsync(Ct);
        }

        List<string> expected;
        await using (var scope = shop.NewScope(out var db))
        {
            expected = await db.Tags.Where(t => t.Shop == tag).OrderBy(t => t.Code).Select(t => t.Code).ToListAsync(Ct);
        }

        var all = new List<ClerkFeedCategory>();
        for (var page = 1; page <= 4; page++)
        {
            all.AddRange(await PageAsync<ClerkFeedCategory>(shop, page, 10));
        }

        shop.Services.GetRequiredService<FeedPageBoundaries>().Clear();
        var lookedUp = await PageAsync<ClerkFeedCategory>(shop, 3, 10);

        Assert.Equal(expected, all.Select(c => c.Id.ToString()));
        Assert.All(all, c => Assert.False(c.Id.IsNumber));
        Assert.Equal(expected.Skip(20), lookedUp.Select(c => c.Id.ToString()));
    }

    [Fact]
    public async Task GetPageAsync_OrdersBetweenDates_ReturnsOnlyThoseInTheRange()
    {
        var tag = _tag;
        var shop = Shop(feeds => feeds.AddOrders(
            (ShopContext db) => db.FeedOrders.Where(o => o.Shop == tag),
            o => o.Id,
            o => o.PlacedAt,
            o => new ClerkFeedOrder
            {
                Id = o.Number,
                Time = new DateTimeOffset(DateTime.SpecifyKind(o.PlacedAt, DateTimeKind.Utc)),
                Products = new List<ClerkSaleLine> { new(o.ProductId, o.Price, o.Quantity) },
            }));
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var scope = shop.NewScope(out var db))
        {
            db.FeedOrders.AddRange(Enumerable.Range(0, 10).Select(day => new FeedOrder
            {
                Shop = tag, Number = $"{tag}-{day}", PlacedAt = start.AddDays(day), ProductId = 100 + day, Price = 9.5m, Quantity = 2,
            }));
            await db.SaveChangesAsync(Ct);
        }

        var page = await PageAsync<ClerkFeedOrder>(shop, 1, 100, new DateTimeOffset(start.AddDays(3)), new DateTimeOffset(start.AddDays(6)));

        Assert.Equal([$"{tag}-3", $"{tag}-4", $"{tag}-5"], page.Select(o => o.Id));
        Assert.Equal(new DateTimeOffset(start.AddDays(3)), page[0].Time);
        Assert.Equal(new ClerkSaleLine(103, 9.5m, 2), Assert.Single(page[0].Products));
    }

    [Fact]
    public async Task GetPageAsync_MapIdDisagreesWithTheKeyInDevelopment_Throws()
    {
        var tag = _tag;
        var shop = Shop(
            feeds => feeds.AddProducts((ShopContext db) => db.Products.Where(p => p.Shop == tag), p => p.Id, p => new ClerkFeedProduct { Id = p.Name, Name = p.Name }),
            environment: "Development",
            products: false);
        await InsertAsync(shop, 2);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => ProductPageAsync(shop, 1, 10));

        Assert.Contains("must be the key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddProducts_UnsupportedKeyType_ThrowsNamingTheTypes()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<ArgumentException>(() => services.AddClerkFeeds()
            .AddProducts((ShopContext db) => db.Products, p => p.Price, p => new ClerkFeedProduct { Id = p.Id, Name = p.Name }));

        Assert.Contains("long, int or short", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A shop with two Clerk stores, whose product feed takes the request: dk gets the visible products, de every one;
    /// each store's name is put before the product's name.
    /// </summary>
    private ClerkInstance StoresShop()
    {
        var tag = _tag;
        var shop = new ClerkInstance(database, _time, "store-" + tag, services =>
        {
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Production" });
            services.AddClerk(o =>
            {
                o.PublicKey = null;
                o.DefaultStore = "dk";
                o.Stores["dk"] = new ClerkStoreOptions { PublicKey = "dk-" + tag, PrivateKey = "dk-private-" + tag, Language = "danish" };
                o.Stores["de"] = new ClerkStoreOptions { PublicKey = "de-" + tag, PrivateKey = "de-private-" + tag, Language = "german" };
            });
            services.AddClerkFeeds().AddProducts(
                (ShopContext db, ClerkFeedRequest r) => db.Products.Where(p => p.Shop == tag && (p.Visible || r.StoreName == "de")),
                p => p.Id,
                (p, r) => new ClerkFeedProduct { Id = p.Id, Name = r.StoreName + ": " + p.Name, Price = p.Price });
        });
        _instances.Add(shop);
        return shop;
    }

    private static ClerkFeedRequest StoreRequest(string store, int page, int limit) =>
        new() { Store = store + "-key", StoreName = store, Page = page, Limit = limit };

    [Fact]
    public async Task GetPageAsync_QueryAndMapThatTakeTheRequest_GiveEachStoreItsOwnRowsAndNames()
    {
        var shop = StoresShop();
        var visible = await InsertAsync(shop, 3);
        var hidden = await InsertAsync(shop, 2, visible: false);

        var pages = new Dictionary<string, List<ClerkFeedProduct>>();
        foreach (var store in new[] { "dk", "de" })
        {
            await using var scope = shop.Services.CreateAsyncScope();
            var source = scope.ServiceProvider.GetRequiredService<IClerkProductSource>();
            var items = new List<ClerkFeedProduct>();
            for (var page = 1; page <= 3; page++)
            {
                await foreach (var item in source.GetPageAsync(StoreRequest(store, page, 2), Ct))
                {
                    items.Add(item);
                }
            }

            pages[store] = items;
        }

        Assert.Equal(visible, pages["dk"].Select(Number));
        Assert.All(pages["dk"], p => Assert.StartsWith("dk: ", p.Name, StringComparison.Ordinal));
        Assert.Equal([.. visible, .. hidden], pages["de"].Select(Number));
        Assert.All(pages["de"], p => Assert.StartsWith("de: ", p.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindAsync_WithAStoresRequest_ReturnsThatStoresProducts()
    {
        var shop = StoresShop();
        var visible = await InsertAsync(shop, 1);
        var hidden = await InsertAsync(shop, 1, visible: false);
        ClerkProductId[] ids = [visible[0], hidden[0]];

        await using var scope = shop.Services.CreateAsyncScope();
        var source = scope.ServiceProvider.GetRequiredService<IClerkProductSource>();
        var dk = new List<ClerkFeedProduct>();
        await foreach (var product in source.FindAsync(StoreRequest("dk", 1, 2), ids, Ct))
        {
            dk.Add(product);
        }

        var de = new List<ClerkFeedProduct>();
        await foreach (var product in source.FindAsync(StoreRequest("de", 1, 2), ids, Ct))
        {
            de.Add(product);
        }

        Assert.Equal([$"dk: {_tag} 0"], dk.Select(p => p.Name));
        Assert.Equal([$"de: {_tag} 0", $"de: {_tag} 0"], de.Select(p => p.Name));
        Assert.Equal([visible[0], hidden[0]], de.Select(Number).Order());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteFeedAdapterTests(SqliteTestDatabase database) : FeedAdapterTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresFeedAdapterTests(PostgresTestDatabase database) : FeedAdapterTests(database), IClassFixture<PostgresTestDatabase>;
