using System.Text.Json.Nodes;
using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>
/// <c>SyncOnSaveChanges&lt;TContext, TEntity&gt;</c> on each provider: a save of a mapped entity writes one catalog
/// sync message to the EF outbox, on the saving context, so it commits or rolls back with the caller's transaction;
/// with <c>AddDbContext</c> and <c>AddDbContextPool</c> alike.
/// </summary>
public abstract class SyncOnSaveChangesTests(TestDatabase database) : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly List<ClerkInstance> _instances = [];
    private readonly string _tag = "s" + Guid.NewGuid().ToString("N")[..12];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClerkInstance Shop(bool pooled = false, string environment = "Production", Action<ClerkFeedsBuilder>? feeds = null)
    {
        var tag = _tag;
        var shop = new ClerkInstance(database, _time, "store-" + tag, services =>
        {
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
            services.AddClerk(o => o.PrivateKey = "private-" + tag);
            var builder = services.AddClerkFeeds()
                .AddProducts((ShopContext db) => db.Products.Where(p => p.Shop == tag), p => p.Id, p => new ClerkFeedProduct { Id = p.Id, Name = p.Name, Price = p.Price })
                .SyncOnSaveChanges<ShopContext, ShopProduct>(p => p.Id);
            feeds?.Invoke(builder);
        }, pooled);
        _instances.Add(shop);
        return shop;
    }

    private async Task<long> InsertAsync(ClerkInstance shop, string name = "Sofa")
    {
        await using var scope = shop.NewScope(out var db);
        var product = new ShopProduct { Shop = _tag, Name = name, Price = 10m };
        db.Products.Add(product);
        await db.SaveChangesAsync(Ct);
        return product.Id;
    }

    /// <summary>The catalog sync messages of the shop's store, as stored: endpoint and product IDs.</summary>
    private static async Task<List<(string Endpoint, long[] Products, string Body)>> MessagesAsync(ClerkInstance shop)
    {
        await using var scope = shop.NewScope(out var db);
        var rows = await db.ClerkOutbox.AsNoTracking().Where(e => e.Store == shop.Store && e.Kind == "product").ToListAsync(Ct);
        return [.. rows.OrderBy(r => r.CreatedAt).Select(r => (r.Endpoint, JsonNode.Parse(r.Body)!["products"]!.AsArray().Select(p => (long)p!).ToArray(), r.Body))];
    }

    [Fact]
    public async Task SaveChanges_AddedProduct_QueuesItsDatabaseGeneratedId()
    {
        var shop = Shop();

        var id = await InsertAsync(shop);

        var message = Assert.Single(await MessagesAsync(shop));
        Assert.Equal("product/add", message.Endpoint);
        Assert.Equal([id], message.Products);
        Assert.DoesNotContain("private", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveChanges_InACommittedTransaction_WritesOneSyncMessageWithTheChange()
    {
        var shop = Shop();
        var id = await InsertAsync(shop);
        var before = (await MessagesAsync(shop)).Count;

        await using (var scope = shop.NewScope(out var db))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            var product = await db.Products.SingleAsync(p => p.Id == id, Ct);
            product.Price = 12.5m;
            await db.SaveChangesAsync(Ct);
            await transaction.CommitAsync(Ct);
        }

        var messages = await MessagesAsync(shop);
        Assert.Equal(before + 1, messages.Count);
        Assert.Equal([id], messages[^1].Products);
    }

    [Fact]
    public async Task SaveChanges_InARolledBackTransaction_LeavesNoSyncMessage()
    {
        var shop = Shop();
        var id = await InsertAsync(shop);
        var before = (await MessagesAsync(shop)).Count;

        await using (var scope = shop.NewScope(out var db))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            var product = await db.Products.SingleAsync(p => p.Id == id, Ct);
            product.Price = 12.5m;
            await db.SaveChangesAsync(Ct);
            await transaction.RollbackAsync(Ct);
        }

        Assert.Equal(before, (await MessagesAsync(shop)).Count);
        await using var check = shop.NewScope(out var context);
        Assert.Equal(10m, (await context.Products.SingleAsync(p => p.Id == id, Ct)).Price);
    }

    [Fact]
    public async Task SaveChanges_DeletedAndChangedProductsInOneSave_QueueBothInOneMessage()
    {
        var shop = Shop();
        var kept = await InsertAsync(shop, "Kept");
        var deleted = await InsertAsync(shop, "Deleted");
        var before = (await MessagesAsync(shop)).Count;

        await using (var scope = shop.NewScope(out var db))
        {
            var products = await db.Products.Where(p => p.Id == kept || p.Id == deleted).ToListAsync(Ct);
            products.Single(p => p.Id == kept).Name = "Kept, renamed";
            db.Products.Remove(products.Single(p => p.Id == deleted));
            await db.SaveChangesAsync(Ct);
        }

        var messages = await MessagesAsync(shop);
        Assert.Equal(before + 1, messages.Count);
        Assert.Equal([kept, deleted], messages[^1].Products.Order());
    }

    [Fact]
    public async Task SaveChanges_NoMappedEntityChanged_QueuesNothing()
    {
        var shop = Shop();

        await using (var scope = shop.NewScope(out var db))
        {
            db.Tags.Add(new ShopTag { Code = _tag, Shop = _tag, Name = "Unrelated" });
            await db.SaveChangesAsync(Ct);
        }

        Assert.Empty(await MessagesAsync(shop));
    }

    [Fact]
    public async Task SaveChanges_FailedSave_QueuesNothingThenTheNextSaveOnlyItsOwnChanges()
    {
        var shop = Shop();
        var id = await InsertAsync(shop);
        var before = (await MessagesAsync(shop)).Count;

        await using (var scope = shop.NewScope(out var db))
        {
            // The same key twice: the save fails, and nothing may be queued for it.
            db.Products.Add(new ShopProduct { Id = id, Shop = _tag, Name = "Duplicate" });
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        }

        var next = await InsertAsync(shop);

        var messages = await MessagesAsync(shop);
        Assert.Equal(before + 1, messages.Count);
        Assert.Equal([next], messages[^1].Products);
    }

    [Fact]
    public async Task SaveChanges_WithAddDbContextPool_QueuesTheChangeOnThePooledContext()
    {
        var shop = Shop(pooled: true);

        var first = await InsertAsync(shop);
        var second = await InsertAsync(shop);
        await using (var scope = shop.NewScope(out var db))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            (await db.Products.SingleAsync(p => p.Id == first, Ct)).Price = 11m;
            await db.SaveChangesAsync(Ct);
            await transaction.RollbackAsync(Ct);
        }

        var messages = await MessagesAsync(shop);
        Assert.Equal([[first], [second]], messages.Select(m => m.Products));
    }

    [Fact]
    public async Task SaveChanges_InARequest_WritesTheMessageWithTheProductsChange()
    {
        var shop = Shop();

        long id;
        await using (var request = shop.BeginRequest())
        {
            var product = new ShopProduct { Shop = _tag, Name = "Chair", Price = 20m };
            request.Context.Products.Add(product);
            await request.Context.SaveChangesAsync(Ct);
            id = product.Id;
        }

        Assert.Equal([id], Assert.Single(await MessagesAsync(shop)).Products);
    }

    [Fact]
    public async Task SaveChanges_Synchronous_QueuesTheChangeToo()
    {
        var shop = Shop();

        long id;
        await using (var scope = shop.NewScope(out var db))
        {
            var product = new ShopProduct { Shop = _tag, Name = "Stool", Price = 5m };
            db.Products.Add(product);
#pragma warning disable CA1849 // the synchronous save is what this test is about
            db.SaveChanges();
#pragma warning restore CA1849
            id = product.Id;
        }

        Assert.Equal([id], Assert.Single(await MessagesAsync(shop)).Products);
    }

    [Fact]
    public async Task SaveChanges_ProductIdThatCannotBeSyncedInProduction_SavesAndLogsTheFailure()
    {
        var shop = Shop(feeds: feeds => feeds.SyncOnSaveChanges<ShopContext, ShopTag>(_ => default));

        await using (var scope = shop.NewScope(out var db))
        {
            db.Tags.Add(new ShopTag { Code = _tag, Shop = _tag, Name = "Tag" });
            await db.SaveChangesAsync(Ct);
        }

        await using var check = shop.NewScope(out var context);
        Assert.True(await context.Tags.AnyAsync(t => t.Code == _tag, Ct));
        var failed = Assert.Single(shop.Logs.GetSnapshot(), r => r.Id.Id == 67);
        Assert.IsType<ArgumentException>(failed.Exception);
        Assert.Empty(await MessagesAsync(shop));
    }

    [Fact]
    public async Task SaveChanges_ProductIdThatCannotBeSyncedInDevelopment_Throws()
    {
        var shop = Shop(environment: "Development", feeds: feeds => feeds.SyncOnSaveChanges<ShopContext, ShopTag>(_ => default));

        await using var scope = shop.NewScope(out var db);
        db.Tags.Add(new ShopTag { Code = _tag, Shop = _tag, Name = "Tag" });

        await Assert.ThrowsAsync<ArgumentException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task SaveChanges_TwoStores_QueuesOneMessagePerStoreWithItsPublicKeyInTheSaveTransaction()
    {
        var tag = _tag;
        var shop = new ClerkInstance(database, _time, "store-" + tag, services =>
        {
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Production" });
            services.AddClerk(o =>
            {
                o.PublicKey = null;
                o.DefaultStore = "dk";
                o.Stores["dk"] = new ClerkStoreOptions { PublicKey = "dk-" + tag, PrivateKey = "dk-private-" + tag };
                o.Stores["de"] = new ClerkStoreOptions { PublicKey = "de-" + tag, PrivateKey = "de-private-" + tag };
                o.Stores["no"] = new ClerkStoreOptions { PublicKey = "no-" + tag };
            });
            services.AddClerkFeeds()
                .AddProducts((ShopContext db, ClerkFeedRequest r) => db.Products.Where(p => p.Shop == tag), p => p.Id, (p, r) => new ClerkFeedProduct { Id = p.Id, Name = p.Name })
                .SyncOnSaveChanges<ShopContext, ShopProduct>(p => p.Id);
        });
        _instances.Add(shop);

        var id = await InsertAsync(shop);

        await using var scope = shop.NewScope(out var db);
        var rows = await db.ClerkOutbox.AsNoTracking().Where(e => e.Store.EndsWith(tag) && e.Kind == "product").ToListAsync(Ct);
        Assert.Equal(["de-" + tag, "dk-" + tag], rows.Select(r => r.Store).Order(StringComparer.Ordinal));
        Assert.All(rows, r =>
        {
            Assert.Equal("product/add", r.Endpoint);
            Assert.Equal([id], JsonNode.Parse(r.Body)!["products"]!.AsArray().Select(p => (long)p!));
            Assert.DoesNotContain("private", r.Body, StringComparison.Ordinal);
        });
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

public sealed class SqliteSyncOnSaveChangesTests(SqliteTestDatabase database) : SyncOnSaveChangesTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresSyncOnSaveChangesTests(PostgresTestDatabase database) : SyncOnSaveChangesTests(database), IClassFixture<PostgresTestDatabase>;
