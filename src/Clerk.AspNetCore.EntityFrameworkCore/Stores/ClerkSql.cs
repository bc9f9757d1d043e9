using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>The database families whose SQL differs.</summary>
internal enum ClerkProvider
{
    /// <summary>Any other relational provider: standard SQL only.</summary>
    Other,
    PostgreSql,
    Sqlite,
    SqlServer,
}

/// <summary>
/// The statements the stores write as raw SQL, with table and column names taken from the shop's EF model and
/// quoted by the provider, and every value a parameter (EF's <c>{0}</c> placeholders).
/// </summary>
/// <remarks>
/// Raw SQL, not <c>Add</c> + <c>SaveChanges</c>: a claim or an outbox row written on the request's context must not
/// save the shop's other pending changes, and must join the context's current transaction (raw SQL does). The
/// insert-if-absent of a claim or a salt must not fail on a duplicate either, because on PostgreSQL a failed statement
/// aborts the whole transaction: <c>ON CONFLICT DO NOTHING</c> on PostgreSQL and SQLite, and elsewhere
/// <c>INSERT … SELECT … WHERE NOT EXISTS</c>, which SQL Server makes atomic with <c>UPDLOCK, HOLDLOCK</c> (a key-range
/// lock until the transaction ends).
/// </remarks>
internal sealed class ClerkSql
{
    private ClerkSql(ClerkProvider provider) => Provider = provider;

    public ClerkProvider Provider { get; }

    /// <summary>Claim (store, order_id, claimed_at) if absent: {0} store, {1} order, {2} time. One row written = claimed.</summary>
    public string InsertClaim { get; private init; } = "";

    /// <summary>Release: {0} store, {1} order.</summary>
    public string DeleteClaim { get; private init; } = "";

    /// <summary>Salt (store, day, salt, created_at) if absent: {0} store, {1} day, {2} salt, {3} time.</summary>
    public string InsertSalt { get; private init; } = "";

    /// <summary>Active visitor (store, day, visitor_id) if absent: {0} store, {1} day, {2} visitor.</summary>
    public string InsertActivity { get; private init; } = "";

    /// <summary>Outbox row: {0} id, {1} store, {2} kind, {3} endpoint, {4} body, {5} state, {6} created, {7} due, {8} attempts.</summary>
    public string InsertOutbox { get; private init; } = "";

    /// <summary>As <see cref="InsertOutbox"/>, and {9} order.</summary>
    public string InsertOutboxWithOrder { get; private init; } = "";

    /// <summary>
    /// PostgreSQL's lease in one statement: {0} lease id, {1} lease end, {2} store, {3} pending, {4} now, {5} count.
    /// <c>FOR UPDATE SKIP LOCKED</c> lets instances lease side by side without waiting for each other's rows.
    /// </summary>
    public string LeasePostgreSql { get; private init; } = "";

    public static ClerkSql Create(DbContext context)
    {
        var provider = context.Database.ProviderName switch
        {
            "Npgsql.EntityFrameworkCore.PostgreSQL" => ClerkProvider.PostgreSql,
            "Microsoft.EntityFrameworkCore.Sqlite" => ClerkProvider.Sqlite,
            "Microsoft.EntityFrameworkCore.SqlServer" => ClerkProvider.SqlServer,
            _ => ClerkProvider.Other,
        };
        var sql = context.GetService<ISqlGenerationHelper>();

        var claims = new Table(context, typeof(ClerkSaleClaim), sql);
        var salts = new Table(context, typeof(ClerkCookielessSalt), sql);
        var outbox = new Table(context, typeof(ClerkOutboxEntry), sql);
        var activity = new Table(context, typeof(ClerkCookielessActivity), sql);

        string[] outboxColumns =
        [
            nameof(ClerkOutboxEntry.Id), nameof(ClerkOutboxEntry.Store), nameof(ClerkOutboxEntry.Kind),
            nameof(ClerkOutboxEntry.Endpoint), nameof(ClerkOutboxEntry.Body), nameof(ClerkOutboxEntry.State),
            nameof(ClerkOutboxEntry.CreatedAt), nameof(ClerkOutboxEntry.DueAt), nameof(ClerkOutboxEntry.Attempts),
        ];

        return new ClerkSql(provider)
        {
            InsertClaim = InsertIfAbsent(provider, claims,
                [nameof(ClerkSaleClaim.Store), nameof(ClerkSaleClaim.OrderId), nameof(ClerkSaleClaim.ClaimedAt)], keyCount: 2),
            DeleteClaim = $"DELETE FROM {claims.Name} WHERE {claims[nameof(ClerkSaleClaim.Store)]} = {{0}} AND {claims[nameof(ClerkSaleClaim.OrderId)]} = {{1}}",
            InsertSalt = InsertIfAbsent(provider, salts,
                [nameof(ClerkCookielessSalt.Store), nameof(ClerkCookielessSalt.Day), nameof(ClerkCookielessSalt.Salt), nameof(ClerkCookielessSalt.CreatedAt)], keyCount: 2),
            InsertActivity = InsertIfAbsent(provider, activity,
                [nameof(ClerkCookielessActivity.Store), nameof(ClerkCookielessActivity.Day), nameof(ClerkCookielessActivity.VisitorId)], keyCount: 3),
            InsertOutbox = Insert(outbox, outboxColumns),
            InsertOutboxWithOrder = Insert(outbox, [.. outboxColumns, nameof(ClerkOutboxEntry.OrderId)]),
            LeasePostgreSql =
                $"UPDATE {outbox.Name} SET {outbox[nameof(ClerkOutboxEntry.LeaseId)]} = {{0}}, {outbox[nameof(ClerkOutboxEntry.LeaseExpiresAt)]} = {{1}} " +
                $"WHERE {outbox[nameof(ClerkOutboxEntry.Id)]} IN (SELECT {outbox[nameof(ClerkOutboxEntry.Id)]} FROM {outbox.Name} " +
                $"WHERE {outbox[nameof(ClerkOutboxEntry.Store)]} = {{2}} AND {outbox[nameof(ClerkOutboxEntry.State)]} = {{3}} AND {outbox[nameof(ClerkOutboxEntry.DueAt)]} <= {{4}} " +
                $"AND ({outbox[nameof(ClerkOutboxEntry.LeaseExpiresAt)]} IS NULL OR {outbox[nameof(ClerkOutboxEntry.LeaseExpiresAt)]} < {{4}}) " +
                $"ORDER BY {outbox[nameof(ClerkOutboxEntry.DueAt)]}, {outbox[nameof(ClerkOutboxEntry.Id)]} LIMIT {{5}} FOR UPDATE SKIP LOCKED)",
        };
    }

    private static string Insert(Table table, string[] properties)
    {
        var builder = new StringBuilder();
        builder.Append("INSERT INTO ").Append(table.Name).Append(" (").AppendJoin(", ", properties.Select(p => table[p]))
            .Append(") VALUES (").AppendJoin(", ", properties.Select((_, i) => "{" + i + "}")).Append(')');
        return builder.ToString();
    }

    /// <summary>Inserts a row unless one with the same key (the first <paramref name="keyCount"/> columns) exists.</summary>
    private static string InsertIfAbsent(ClerkProvider provider, Table table, string[] properties, int keyCount)
    {
        if (provider is ClerkProvider.PostgreSql or ClerkProvider.Sqlite)
        {
            return Insert(table, properties) + " ON CONFLICT DO NOTHING";
        }

        var builder = new StringBuilder();
        builder.Append("INSERT INTO ").Append(table.Name).Append(" (").AppendJoin(", ", properties.Select(p => table[p]))
            .Append(") SELECT ").AppendJoin(", ", properties.Select((_, i) => "{" + i + "}"))
            .Append(" WHERE NOT EXISTS (SELECT 1 FROM ").Append(table.Name)
            .Append(provider is ClerkProvider.SqlServer ? " WITH (UPDLOCK, HOLDLOCK)" : "")
            .Append(" WHERE ").AppendJoin(" AND ", properties.Take(keyCount).Select((p, i) => table[p] + " = {" + i + "}"))
            .Append(')');
        return builder.ToString();
    }

    /// <summary>A Clerk table's quoted name and columns, as the shop's model maps them.</summary>
    private sealed class Table
    {
        private readonly IEntityType _entityType;
        private readonly ITable _table;
        private readonly ISqlGenerationHelper _sql;

        public Table(DbContext context, Type entity, ISqlGenerationHelper sql)
        {
            _entityType = context.Model.FindEntityType(entity)
                ?? throw new InvalidOperationException(
                    $"{context.GetType().Name} does not map {entity.Name}: call modelBuilder.UseClerk() in its OnModelCreating.");
            _table = _entityType.GetTableMappings().First().Table;
            _sql = sql;
            Name = sql.DelimitIdentifier(_table.Name, _table.Schema);
        }

        public string Name { get; }

        public string this[string property] =>
            _sql.DelimitIdentifier(_entityType.FindProperty(property)!.GetTableColumnMappings().First().Column.Name);
    }
}
