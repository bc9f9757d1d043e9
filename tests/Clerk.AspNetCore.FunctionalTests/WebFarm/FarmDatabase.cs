using Npgsql;

namespace Clerk.AspNetCore.FunctionalTests.WebFarm;

/// <summary>
/// A PostgreSQL database of its own for one web farm, on the server <c>CLERK_TEST_POSTGRES</c> names (test.sh starts
/// one); dropped at the end. Without that variable the farm tests fail, saying how to fix it: never skipped.
/// </summary>
internal sealed class FarmDatabase : IAsyncDisposable
{
    public const string Variable = "CLERK_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name = $"clerk_farm_{Guid.NewGuid():N}";

    private FarmDatabase(string server) => _server = server;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name, Pooling = true, MaxPoolSize = 30 }.ToString();

    public static async Task<FarmDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"The web farm tests need PostgreSQL: run ./test.sh (it starts one), or set {Variable} to a connection string "
                + "such as \"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\".");
        }

        var database = new FarmDatabase(server);
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database._name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    /// <summary>Runs a query on the farm's database that returns one number.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a query on the farm's database that returns one column of text.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
