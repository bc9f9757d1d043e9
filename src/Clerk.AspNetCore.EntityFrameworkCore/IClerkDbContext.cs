using Microsoft.EntityFrameworkCore;

namespace Clerk.AspNetCore;

/// <summary>
/// Implemented by the shop's own <see cref="DbContext"/> to hold Clerk's shared state: the outbox of sales and
/// returns, the sale ledger and the daily cookieless salts. Its <c>OnModelCreating</c> calls
/// <see cref="ClerkModelBuilderExtensions.UseClerk(ModelBuilder)"/>, and the app registers the stores with
/// <c>services.AddClerkEntityFrameworkStores&lt;TContext&gt;()</c>.
/// </summary>
/// <example>
/// <code>
/// public sealed class ShopDbContext(DbContextOptions&lt;ShopDbContext&gt; options) : DbContext(options), IClerkDbContext
/// {
///     public DbSet&lt;ClerkOutboxEntry&gt; ClerkOutbox =&gt; Set&lt;ClerkOutboxEntry&gt;();
///     public DbSet&lt;ClerkSaleClaim&gt; ClerkSaleClaims =&gt; Set&lt;ClerkSaleClaim&gt;();
///     public DbSet&lt;ClerkCookielessSalt&gt; ClerkCookielessSalts =&gt; Set&lt;ClerkCookielessSalt&gt;();
///
///     protected override void OnModelCreating(ModelBuilder modelBuilder) =&gt; modelBuilder.UseClerk();
/// }
/// </code>
/// </example>
public interface IClerkDbContext
{
    /// <summary>Gets the outbox: sales and returns waiting for Clerk, sent ones for the audit period, failed ones
    /// until they are re-driven (table <c>clerk_outbox</c>).</summary>
    DbSet<ClerkOutboxEntry> ClerkOutbox { get; }

    /// <summary>Gets the sale ledger: one row per store and order whose sale was claimed (table
    /// <c>clerk_sale_claims</c>).</summary>
    DbSet<ClerkSaleClaim> ClerkSaleClaims { get; }

    /// <summary>Gets the cookieless salts: one per store and UTC day (table <c>clerk_cookieless_salts</c>).</summary>
    DbSet<ClerkCookielessSalt> ClerkCookielessSalts { get; }
}
