using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>A shop's context as the EF package's README tells a shop to write it: Clerk's three tables.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options), IClerkDbContext
{
    public DbSet<ClerkOutboxEntry> ClerkOutbox => Set<ClerkOutboxEntry>();

    public DbSet<ClerkSaleClaim> ClerkSaleClaims => Set<ClerkSaleClaim>();

    public DbSet<ClerkCookielessSalt> ClerkCookielessSalts => Set<ClerkCookielessSalt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.UseClerk();
}

/// <summary>Where the Clerk stores live in a benchmark: in memory, or the EF Core stores on one of two providers.</summary>
public enum StoreKind
{
    InMemory,
    Sqlite,
    PostgreSql,
}

/// <summary>A throwaway database with Clerk's tables, created by <c>EnsureCreated</c>; deleted when disposed.</summary>
public abstract class BenchDatabase : IAsyncDisposable
{
    public abstract void Configure(DbContextOptionsBuilder options);

    public static async Task<BenchDatabase> CreateAsync(StoreKind kind)
    {
        BenchDatabase database = kind switch
        {
            StoreKind.Sqlite => new SqliteBenchDatabase(),
            StoreKind.PostgreSql => await PostgresBenchDatabase.CreateAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The in-memory stores have no database."),
        };
        var options = new DbContextOptionsBuilder<BenchDbContext>();
        database.Configure(options);
        await using var context = new BenchDbContext(options.Options);
        await context.Database.EnsureCreatedAsync();
        return database;
    }

    /// <summary>Empties Clerk's tables between iterations, so every iteration writes into the same small tables.</summary>
    public async Task ClearAsync()
    {
        var options = new DbContextOptionsBuilder<BenchDbContext>();
        Configure(options);
        await using var context = new BenchDbContext(options.Options);
        await context.ClerkOutbox.ExecuteDeleteAsync();
        await context.ClerkSaleClaims.ExecuteDeleteAsync();
    }

    public abstract ValueTask DisposeAsync();
}

/// <summary>A SQLite file in the temporary directory, pooled connections (as a shop would configure it).</summary>
public sealed class SqliteBenchDatabase : BenchDatabase
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"clerk-bench-{Guid.NewGuid():N}.db");

    public override void Configure(DbContextOptionsBuilder options) =>
        options.UseSqlite(new SqliteConnectionStringBuilder { DataSource = _path }.ToString());

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm", _path + "-journal" })
        {
            File.Delete(file);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>A database of its own on <see cref="PostgresServer"/>; dropped when disposed.</summary>
public sealed class PostgresBenchDatabase : BenchDatabase
{
    private readonly PostgresServer _server;
    private readonly string _name = $"clerk_bench_{Guid.NewGuid():N}";

    private PostgresBenchDatabase(PostgresServer server) => _server = server;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = _name }.ToString();

    public static async Task<PostgresBenchDatabase> CreateAsync()
    {
        var database = new PostgresBenchDatabase(PostgresServer.Acquire());
        await using var connection = new NpgsqlConnection(database._server.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database._name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    public int Port => new NpgsqlConnectionStringBuilder(_server.ConnectionString).Port;

    public override void Configure(DbContextOptionsBuilder options) => options.UseNpgsql(ConnectionString);

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(_server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        _server.Release();
    }
}

/// <summary>
/// The PostgreSQL server of the benchmarks: <c>CLERK_BENCH_POSTGRES</c> or <c>CLERK_TEST_POSTGRES</c> when set;
/// otherwise a throwaway one from <c>scripts/postgres.sh</c> with a state file of its own (so it never touches the
/// tests' server), started on first use and stopped when the last user releases it (and at process exit).
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lock Gate = new();
    private static PostgresServer? _current;
    private static int _users;

    private readonly string? _stateFile;

    private PostgresServer(string connectionString, string? stateFile)
    {
        ConnectionString = connectionString;
        _stateFile = stateFile;
    }

    public string ConnectionString { get; }

    /// <summary>Whether this process started the server (rather than using one named by the environment).</summary>
    public bool Owned => _stateFile is not null;

    public static PostgresServer Acquire()
    {
        lock (Gate)
        {
            if (_current is null)
            {
                _current = FromEnvironment() ?? Start();
                if (_current.Owned)
                {
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(_current);
                }
            }

            _users++;
            return _current;
        }
    }

    public void Release()
    {
        lock (Gate)
        {
            if (--_users > 0 || !ReferenceEquals(_current, this))
            {
                return;
            }

            _current = null;
        }

        Stop(this);
    }

    private static PostgresServer? FromEnvironment()
    {
        foreach (var variable in new[] { "CLERK_BENCH_POSTGRES", "CLERK_TEST_POSTGRES" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } connectionString)
            {
                return new PostgresServer(connectionString, stateFile: null);
            }
        }

        return null;
    }

    private static PostgresServer Start()
    {
        var stateFile = Path.Combine(Path.GetTempPath(), $"clerk-bench-pg-{Environment.ProcessId}.env");
        var output = Script("start", stateFile);
        var connectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException("scripts/postgres.sh start printed no connection string.");
        Console.Error.WriteLine($"// PostgreSQL for the benchmarks: {connectionString} (scripts/postgres.sh, state {stateFile})");
        return new PostgresServer(connectionString, stateFile);
    }

    private static void Stop(PostgresServer? server)
    {
        if (server?._stateFile is { } stateFile && File.Exists(stateFile))
        {
            Script("stop", stateFile);
        }
    }

    private static string Script(string command, string stateFile)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "postgres.sh");
        var start = new ProcessStartInfo("bash", [script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.Environment["CLERK_PG_STATE"] = stateFile;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"scripts/postgres.sh {command} failed (exit code {process.ExitCode}); set CLERK_BENCH_POSTGRES to a server's connection string instead.");
        }

        return output;
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "scripts", "postgres.sh")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("scripts/postgres.sh not found above the current directory; run from the repository.");
    }
}
