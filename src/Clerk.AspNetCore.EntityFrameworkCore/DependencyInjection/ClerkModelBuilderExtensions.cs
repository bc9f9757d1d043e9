using Clerk.AspNetCore;
using Clerk.AspNetCore.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Maps Clerk's tables into the shop's own model.</summary>
public static class ClerkModelBuilderExtensions
{
    /// <summary>
    /// Maps <c>clerk_outbox</c>, <c>clerk_sale_claims</c>, <c>clerk_cookieless_salts</c> and <c>clerk_cookieless_activity</c>, with snake_case column
    /// names that are the same on every provider. Call it once in the shop's <c>OnModelCreating</c>; the shop's own
    /// migrations (<c>dotnet ef migrations add AddClerk</c>) or <c>EnsureCreated</c> then create the tables.
    /// </summary>
    /// <param name="modelBuilder">The shop's model builder.</param>
    /// <returns>The same model builder.</returns>
    public static ModelBuilder UseClerk(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<ClerkOutboxEntry>(outbox =>
        {
            outbox.ToTable(ClerkSchema.OutboxTable);
            outbox.HasKey(e => e.Id).HasName("pk_clerk_outbox");
            // The lease query's path: a store's pending rows in due order.
            outbox.HasIndex(e => new { e.Store, e.State, e.DueAt }).HasDatabaseName("ix_clerk_outbox_store_state_due_at");
            outbox.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
            outbox.Property(e => e.Store).HasColumnName("store").HasMaxLength(ClerkSchema.StoreMaxLength).IsRequired();
            outbox.Property(e => e.Kind).HasColumnName("kind").HasMaxLength(ClerkSchema.KindMaxLength).IsRequired();
            outbox.Property(e => e.Endpoint).HasColumnName("endpoint").HasMaxLength(ClerkSchema.EndpointMaxLength).IsRequired();
            outbox.Property(e => e.Body).HasColumnName("body").IsRequired();
            outbox.Property(e => e.OrderId).HasColumnName("order_id").HasMaxLength(ClerkSchema.OrderIdMaxLength);
            outbox.Property(e => e.State).HasColumnName("state").HasMaxLength(ClerkSchema.StateMaxLength).IsRequired()
                .HasConversion(ClerkSchema.StateConverter);
            outbox.Property(e => e.CreatedAt).HasColumnName("created_at").HasConversion(ClerkSchema.TimeConverter);
            outbox.Property(e => e.DueAt).HasColumnName("due_at").HasConversion(ClerkSchema.TimeConverter);
            outbox.Property(e => e.Attempts).HasColumnName("attempts");
            outbox.Property(e => e.LastError).HasColumnName("last_error").HasMaxLength(ClerkSchema.ErrorMaxLength);
            outbox.Property(e => e.LeaseId).HasColumnName("lease_id");
            outbox.Property(e => e.LeaseExpiresAt).HasColumnName("lease_expires_at").HasConversion(ClerkSchema.NullableTimeConverter);
            outbox.Property(e => e.SentAt).HasColumnName("sent_at").HasConversion(ClerkSchema.NullableTimeConverter);
        });

        modelBuilder.Entity<ClerkSaleClaim>(claims =>
        {
            claims.ToTable(ClerkSchema.ClaimsTable);
            // The unique key that makes a claim atomic across instances.
            claims.HasKey(e => new { e.Store, e.OrderId }).HasName("pk_clerk_sale_claims");
            claims.Property(e => e.Store).HasColumnName("store").HasMaxLength(ClerkSchema.StoreMaxLength);
            claims.Property(e => e.OrderId).HasColumnName("order_id").HasMaxLength(ClerkSchema.OrderIdMaxLength);
            claims.Property(e => e.ClaimedAt).HasColumnName("claimed_at").HasConversion(ClerkSchema.TimeConverter);
        });

        modelBuilder.Entity<ClerkCookielessSalt>(salts =>
        {
            salts.ToTable(ClerkSchema.SaltsTable);
            salts.HasKey(e => new { e.Store, e.Day }).HasName("pk_clerk_cookieless_salts");
            salts.Property(e => e.Store).HasColumnName("store").HasMaxLength(ClerkSchema.StoreMaxLength);
            salts.Property(e => e.Day).HasColumnName("day");
            salts.Property(e => e.Salt).HasColumnName("salt").HasMaxLength(ClerkSchema.SaltLength).IsRequired();
            salts.Property(e => e.CreatedAt).HasColumnName("created_at").HasConversion(ClerkSchema.TimeConverter);
        });

        modelBuilder.Entity<ClerkCookielessActivity>(activity =>
        {
            activity.ToTable(ClerkSchema.ActivityTable);
            // The key makes a second instance's record of the same visitor a no-op, and is the lookup's path.
            activity.HasKey(e => new { e.Store, e.Day, e.VisitorId }).HasName("pk_clerk_cookieless_activity");
            activity.Property(e => e.Store).HasColumnName("store").HasMaxLength(ClerkSchema.StoreMaxLength);
            activity.Property(e => e.Day).HasColumnName("day");
            activity.Property(e => e.VisitorId).HasColumnName("visitor_id").HasMaxLength(ClerkSchema.VisitorIdMaxLength);
        });

        return modelBuilder;
    }
}
