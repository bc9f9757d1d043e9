using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>
/// A shop context that implements <see cref="IClerkDbContext"/> and calls <c>UseClerk()</c> gets, from
/// <c>EnsureCreated</c>, the tables and columns the README documents, with the same names on every provider.
/// </summary>
public abstract class SchemaTests(TestDatabase database) : IAsyncDisposable
{
    private readonly ClerkInstance _shop = new(database, new FakeTimeProvider(), "store-schema");

    public static TheoryData<string, string[]> Tables => new()
    {
        { "clerk_outbox", ["id", "store", "kind", "endpoint", "body", "order_id", "state", "created_at", "due_at", "attempts", "last_error", "lease_id", "lease_expires_at", "sent_at"] },
        { "clerk_sale_claims", ["store", "order_id", "claimed_at"] },
        { "clerk_cookieless_salts", ["store", "day", "salt", "created_at"] },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task EnsureCreated_ClerkTables_HaveTheDocumentedColumns(string table, string[] columns)
    {
        await using var scope = _shop.NewScope(out var context);
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} WHERE 1 = 0";

        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var actual = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName);

        Assert.Equal(columns.Order(), actual.Order());
    }

    [Fact]
    public async Task UseClerk_Outbox_HasTheLeaseIndexOnStoreStateAndDueTime()
    {
        await using var scope = _shop.NewScope(out var context);

        var index = Assert.Single(context.Model.FindEntityType(typeof(ClerkOutboxEntry))!.GetIndexes());

        Assert.Equal("ix_clerk_outbox_store_state_due_at", index.GetDatabaseName());
        Assert.Equal(["store", "state", "due_at"], index.Properties.Select(p => p.GetColumnName()));
    }

    [Fact]
    public async Task UseClerk_Keys_AreTheOnesThatMakeClaimsAndSaltsUnique()
    {
        await using var scope = _shop.NewScope(out var context);

        string[] Key(Type type) => [.. context.Model.FindEntityType(type)!.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName())];

        Assert.Equal(["id"], Key(typeof(ClerkOutboxEntry)));
        Assert.Equal(["store", "order_id"], Key(typeof(ClerkSaleClaim)));
        Assert.Equal(["store", "day"], Key(typeof(ClerkCookielessSalt)));
    }

    [Fact]
    public async Task OutboxEntry_FailedRow_ReadsBackThroughTheShopsContext()
    {
        var ct = TestContext.Current.CancellationToken;
        var outbox = _shop.Outbox;
        var store = "store-" + Guid.NewGuid().ToString("N")[..16];
        var created = new DateTimeOffset(2026, 11, 25, 12, 0, 0, 123, TimeSpan.FromHours(2));
        await outbox.AddAsync(new ClerkOutboxMessage
        {
            Id = Guid.NewGuid(), Store = store, Kind = "return", Endpoint = "log/returned", Body = "{}", OrderId = "R-1", CreatedAt = created,
        }, ct);
        var leased = Assert.Single(await outbox.LeaseAsync(store, 1, TimeSpan.FromMinutes(1), ct));
        await outbox.MarkFailedAsync(leased, "LogicalError: unknown order", ct);

        await using var scope = _shop.NewScope(out var context);
        var row = await context.ClerkOutbox.AsNoTracking().SingleAsync(e => e.Store == store, ct);

        Assert.Equal(ClerkOutboxEntryState.Failed, row.State);
        Assert.Equal("LogicalError: unknown order", row.LastError);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(created, row.CreatedAt);
        Assert.Equal(TimeSpan.Zero, row.CreatedAt.Offset);
        Assert.Null(row.LeaseId);
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _shop.DisposeAsync();
    }
}

public sealed class SqliteSchemaTests(SqliteTestDatabase database) : SchemaTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresSchemaTests(PostgresTestDatabase database) : SchemaTests(database), IClassFixture<PostgresTestDatabase>;
