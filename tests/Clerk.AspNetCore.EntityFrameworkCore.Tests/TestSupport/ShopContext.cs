using Microsoft.EntityFrameworkCore;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;

/// <summary>A shop's own context, as the README tells a shop to write it: its orders, and Clerk's tables.</summary>
public sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options), IClerkDbContext
{
    public DbSet<ShopOrder> Orders => Set<ShopOrder>();

    public DbSet<ShopProduct> Products => Set<ShopProduct>();

    public DbSet<ShopCategory> Categories => Set<ShopCategory>();

    public DbSet<ShopTag> Tags => Set<ShopTag>();

    public DbSet<FeedOrder> FeedOrders => Set<FeedOrder>();

    public DbSet<ClerkOutboxEntry> ClerkOutbox => Set<ClerkOutboxEntry>();

    public DbSet<ClerkSaleClaim> ClerkSaleClaims => Set<ClerkSaleClaim>();

    public DbSet<ClerkCookielessSalt> ClerkCookielessSalts => Set<ClerkCookielessSalt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ShopOrder>().HasKey(o => o.Number);
        modelBuilder.Entity<ShopProduct>(product =>
        {
            product.HasKey(p => p.Id);
            product.Property(p => p.Id).ValueGeneratedOnAdd();
            product.HasIndex(p => p.Shop);
            product.HasMany(p => p.Categories).WithMany();
        });
        modelBuilder.Entity<ShopCategory>().Property(c => c.Id).ValueGeneratedOnAdd();
        modelBuilder.Entity<ShopTag>().HasKey(t => t.Code);
        modelBuilder.Entity<FeedOrder>().Property(o => o.Id).ValueGeneratedOnAdd();
        modelBuilder.UseClerk();
    }
}

public sealed class ShopOrder
{
    public string Number { get; set; } = "";

    public string Email { get; set; } = "";
}

/// <summary>A product of the feed tests; <see cref="Shop"/> keeps each test's products apart in the shared database.</summary>
public sealed class ShopProduct
{
    public long Id { get; set; }

    public string Shop { get; set; } = "";

    public string Name { get; set; } = "";

    public decimal Price { get; set; }

    public bool Visible { get; set; } = true;

    public string? Url { get; set; }

    public List<ShopCategory> Categories { get; set; } = [];
}

public sealed class ShopCategory
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}

/// <summary>A row with a string key, for the string-keyed feed tests.</summary>
public sealed class ShopTag
{
    public string Code { get; set; } = "";

    public string Shop { get; set; } = "";

    public string Name { get; set; } = "";
}

/// <summary>An order of the order feed tests, placed at a UTC time.</summary>
public sealed class FeedOrder
{
    public int Id { get; set; }

    public string Shop { get; set; } = "";

    public string Number { get; set; } = "";

    public DateTime PlacedAt { get; set; }

    public long ProductId { get; set; }

    public decimal Price { get; set; }

    public int Quantity { get; set; }
}
