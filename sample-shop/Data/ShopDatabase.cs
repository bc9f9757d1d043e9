using Microsoft.EntityFrameworkCore;

namespace SampleShop.Data;

/// <summary>Creates and seeds the shop's SQLite database on first run.</summary>
public static class ShopDatabase
{
    /// <summary>Whether the catalog includes the two products with hostile names (for the security tests).</summary>
    public const string HostileProductsSetting = "Shop:HostileProducts";

    public static void AddShopDatabase(this WebApplicationBuilder builder)
    {
        var connection = builder.Configuration.GetConnectionString("Shop");
        if (string.IsNullOrWhiteSpace(connection))
        {
            var folder = Path.Combine(builder.Environment.ContentRootPath, "App_Data");
            Directory.CreateDirectory(folder);
            connection = $"Data Source={Path.Combine(folder, "shop.db")}";
        }

        builder.Services.AddDbContext<ShopDbContext>(options => options.UseSqlite(connection));
    }

    public static void EnsureShopDatabase(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        db.Database.EnsureCreated();
        if (!db.Categories.Any())
        {
            db.Categories.AddRange(CatalogGenerator.Generate(app.Configuration.GetValue<bool>(HostileProductsSetting)));
            db.SaveChanges();
        }
    }
}
