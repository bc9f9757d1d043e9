using Clerk.AspNetCore;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SampleShop.Data;

/// <summary>
/// The shop's database. It also holds Clerk's shared state (the day's cookieless salt, the sale ledger and the outbox
/// of sales): <see cref="IClerkDbContext"/> and <c>modelBuilder.UseClerk()</c>, so every instance of the shop agrees,
/// and a sale tracked in the order's transaction commits or rolls back with the order.
/// </summary>
public sealed class ShopDbContext(DbContextOptions<ShopDbContext> options) : DbContext(options), IClerkDbContext, IDataProtectionKeyContext
{
    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Variant> Variants => Set<Variant>();

    public DbSet<CartLine> CartLines => Set<CartLine>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Order> Orders => Set<Order>();

    /// <summary>The antiforgery and cookie keys, shared by every instance (a form from one can be posted to another).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ClerkOutboxEntry> ClerkOutbox => Set<ClerkOutboxEntry>();

    public DbSet<ClerkSaleClaim> ClerkSaleClaims => Set<ClerkSaleClaim>();

    public DbSet<ClerkCookielessSalt> ClerkCookielessSalts => Set<ClerkCookielessSalt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Product>().Property(p => p.Id).ValueGeneratedNever();
        modelBuilder.Entity<Product>().HasIndex(p => p.Name);
        modelBuilder.Entity<Product>().HasIndex(p => p.Sku).IsUnique();
        modelBuilder.Entity<Product>().Property(p => p.Sku).HasMaxLength(64);
        modelBuilder.Entity<Variant>().Property(v => v.Id).ValueGeneratedNever();
        modelBuilder.Entity<Category>().Property(c => c.Id).ValueGeneratedNever();
        modelBuilder.Entity<CartLine>().HasIndex(l => l.CartId);
        modelBuilder.Entity<Customer>().HasIndex(c => c.Email).IsUnique();
        modelBuilder.Entity<Order>().HasIndex(o => o.Number).IsUnique();
        if (Database.IsSqlite())
        {
            // SQLite has no date type: stored as text, a DateTimeOffset cannot be compared in SQL, and the order feed
            // filters on it (start_date, end_date). As a number (ticks and offset, all UTC here) it compares in order.
            modelBuilder.Entity<Order>().Property(o => o.PlacedAt).HasConversion(new DateTimeOffsetToBinaryConverter());
        }

        modelBuilder.UseClerk();
    }
}
