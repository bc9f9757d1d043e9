using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The sample shop's SQLite database across versions of the shop.</summary>
public sealed class SampleShopDatabaseTests
{
    [Fact]
    public async Task EnsureShopDatabase_DatabaseFromBeforeTheFeedFields_IsRecreatedWithThem()
    {
        var database = Path.Combine(Path.GetTempPath(), $"sample-shop-old-{Guid.NewGuid():N}.db");
        var connection = $"Data Source={database};Pooling=False";
        try
        {
            await using (var first = new OnDatabase(connection))
            {
                using var started = await first.CreateVisitorClient().GetAsync("/products/1005", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            }

            // What an older shop's database looks like: products without a SKU.
            await ExecuteAsync(connection, "DROP INDEX IX_Products_Sku; ALTER TABLE Products DROP COLUMN Sku;");

            await using var shop = new OnDatabase(connection);
            using var response = await shop.CreateVisitorClient().GetAsync("/products/1005", TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("HAT-1005", await ExecuteAsync(connection, "SELECT Sku FROM Products WHERE Id = 1005"));
        }
        finally
        {
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The shop on a database file the test keeps between two starts.</summary>
    private sealed class OnDatabase(string connection) : SampleShopFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Shop", connection);
        }
    }
}
