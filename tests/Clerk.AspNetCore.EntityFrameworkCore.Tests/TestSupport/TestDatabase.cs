using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;

/// <summary>
/// One database per test class (a class fixture), created with <c>EnsureCreated</c> from <see cref="ShopContext"/>
/// and deleted at the end. Tests share it safely by working in stores of their own.
/// </summary>
public abstract class TestDatabase : IAsyncLifetime
{
    public abstract string Provider { get; }

    public abstract void Configure(DbContextOptionsBuilder options);

    public abstract ValueTask InitializeAsync();

    public abstract ValueTask DisposeAsync();

    protected async Task EnsureCreatedAsync()
    {
        var options = new DbContextOptionsBuilder<ShopContext>();
        Configure(options);
        await using var context = new ShopContext(options.Options);
        await context.Database.EnsureCreatedAsync();
    }
}

/// <summary>A SQLite database in a temporary file (not in memory: every scope opens its own connection to it).</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"clerk-ef-{Guid.NewGuid():N}.db");

    public override string Provider => "SQLite";

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();

    public override void Configure(DbContextOptionsBuilder options) => options.UseSqlite(ConnectionString);

    public override async ValueTask InitializeAsync() => await EnsureCreatedAsync();

    public override ValueTask DisposeAsync()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm", _path + "-journal" })
        {
            File.Delete(file);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A PostgreSQL database of its own on the server that <c>CLERK_TEST_POSTGRES</c> names (test.sh starts one). Without
/// that variable the tests fail, saying so: they are never skipped.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string Variable = "CLERK_TEST_POSTGRES";

    private readonly string _name = $"clerk_ef_{Guid.NewGuid():N}";
    private string? _server;

    public override string Provider => "PostgreSQL";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(Server) { Database = _name }.ToString();

    private string Server => _server ?? throw new InvalidOperationException(
        $"The PostgreSQL tests need a server: run ./test.sh (it starts one), or set {Variable} to a connection string " +
        "such as \"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\".");

    public override void Configure(DbContextOptionsBuilder options) => options.UseNpgsql(ConnectionString);

    public override async ValueTask InitializeAsync()
    {
        _server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server ? server : null;
        if (_server is null)
        {
            return;   // every test then fails with the message above
        }

        await using (var connection = new NpgsqlConnection(_server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        await EnsureCreatedAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
