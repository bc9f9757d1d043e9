using Microsoft.EntityFrameworkCore;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;

/// <summary>A shop's own context, as the README tells a shop to write it: its orders, and Clerk's tables.</summary>
public sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options), IClerkDbContext
{
    public DbSet<ShopOrder> Orders => Set<ShopOrder>();

    public DbSet<ClerkOutboxEntry> ClerkOutbox => Set<ClerkOutboxEntry>();

    public DbSet<ClerkSaleClaim> ClerkSaleClaims => Set<ClerkSaleClaim>();

    public DbSet<ClerkCookielessSalt> ClerkCookielessSalts => Set<ClerkCookielessSalt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ShopOrder>().HasKey(o => o.Number);
        modelBuilder.UseClerk();
    }
}

public sealed class ShopOrder
{
    public string Number { get; set; } = "";

    public string Email { get; set; } = "";
}
