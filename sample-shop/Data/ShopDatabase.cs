using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace SampleShop.Data;

/// <summary>
/// Creates and seeds the shop's database on first run: SQLite by default (App_Data/shop.db), or PostgreSQL when
/// <c>ConnectionStrings:Shop</c> is a PostgreSQL connection string (<c>Host=…</c>), as several instances of the shop
/// behind a load balancer share one (scripts/web-farm.sh). Clerk's shared state lives in the same database.
/// </summary>
public static partial class ShopDatabase
{
    /// <summary>Whether the catalog includes the two products with hostile names (for the security tests).</summary>
    public const string HostileProductsSetting = "Shop:HostileProducts";

    // Any number: instances starting together take this PostgreSQL advisory lock, so one creates and seeds the
    // database while the others wait, instead of all of them racing to create the same tables.
    private const long SchemaLock = 0x436C65726B;

    public static void AddShopDatabase(this WebApplicationBuilder builder)
    {
        var connection = builder.Configuration.GetConnectionString("Shop");
        if (string.IsNullOrWhiteSpace(connection))
        {
            var folder = Path.Combine(builder.Environment.ContentRootPath, "App_Data");
            Directory.CreateDirectory(folder);
            connection = $"Data Source={Path.Combine(folder, "shop.db")}";
        }

        if (IsPostgreSql(connection))
        {
            builder.Services.AddDbContext<ShopDbContext>(options => options.UseNpgsql(connection));
        }
        else
        {
            builder.Services.AddDbContext<ShopDbContext>(options => options.UseSqlite(connection));
        }

        // Clerk's cookieless salt, sale ledger and outbox in this database: every instance agrees, a restart or a
        // crash loses no sale, and the checkout tracks its sale in the order's own transaction.
        builder.Services.AddClerkEntityFrameworkStores<ShopDbContext>();

        // The antiforgery tokens of the shop's forms are protected with these keys: in the database, so a form one
        // instance rendered can be posted to another behind the load balancer.
        builder.Services.AddDataProtection().SetApplicationName("SampleShop").PersistKeysToDbContext<ShopDbContext>();
    }

    /// <summary>Whether a connection string is PostgreSQL's (<c>Host=…</c>) rather than SQLite's (<c>Data Source=…</c>).</summary>
    public static bool IsPostgreSql(string connection) =>
        connection.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    public static void EnsureShopDatabase(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        var hostile = app.Configuration.GetValue<bool>(HostileProductsSetting);
        if (!db.Database.IsNpgsql())
        {
            EnsureCreated(db, hostile, app.Logger);
            return;
        }

        db.Database.OpenConnection();
        try
        {
            db.Database.ExecuteSqlRaw($"SELECT pg_advisory_lock({SchemaLock})");
            EnsureCreated(db, hostile, app.Logger);
        }
        finally
        {
            db.Database.ExecuteSqlRaw($"SELECT pg_advisory_unlock({SchemaLock})");
            db.Database.CloseConnection();
        }
    }

    private static void EnsureCreated(ShopDbContext db, bool hostile, ILogger logger)
    {
        db.Database.EnsureCreated();
        if (!db.Database.IsNpgsql() && !HasCurrentSchema(db))
        {
            // A demo database from before the shop kept Clerk's state (or orders their payment, or products what a
            // feed needs: SKU, stock, list price, creation time): EnsureCreated adds no tables or columns to an
            // existing database, so start it afresh (a real shop adds them with a migration: dotnet ef migrations add).
            RecreatingOutdatedDatabase(logger);
            db.Database.EnsureDeleted();
            db.Database.EnsureCreated();
        }

        if (!db.Categories.Any())
        {
            // Seeded on a context of its own, without the catalog sync's SaveChanges interceptor: a new catalog reaches
            // Clerk through its importer (the emulator imports the feeds at start-up), not as 212 real-time changes.
            var options = new DbContextOptionsBuilder<ShopDbContext>();
            var connection = db.Database.GetDbConnection();
            if (db.Database.IsNpgsql())
            {
                options.UseNpgsql(connection);
            }
            else
            {
                options.UseSqlite(connection);
            }

            using var seeding = new ShopDbContext(options.Options);
            seeding.Categories.AddRange(CatalogGenerator.Generate(hostile));
            seeding.SaveChanges();
        }
    }

    private static bool HasCurrentSchema(ShopDbContext db)
    {
        try
        {
            _ = db.ClerkOutbox.Any();
            _ = db.Orders.Any(o => o.AwaitingPayment || o.Market == "en");   // markets came with the English store
            _ = db.Set<Clerk.AspNetCore.ClerkCookielessActivity>().Any();   // the midnight grace's table came later
            _ = db.Products.OrderBy(p => p.Id).Select(p => new { p.Sku, p.Stock, p.ListPrice, p.CreatedAt }).FirstOrDefault();   // the feed's fields later still

            // Orders' times became numbers for the order feed's date filter; read as numbers, old text would be garbage.
            return db.Database.SqlQueryRaw<string>("SELECT type AS Value FROM pragma_table_info('Orders') WHERE name = 'PlacedAt'")
                .AsEnumerable().SingleOrDefault() is "INTEGER";
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The shop's SQLite database predates its Clerk tables, order payments, product feed fields or numeric order times; recreating it with demo data.")]
    private static partial void RecreatingOutdatedDatabase(ILogger logger);
}
