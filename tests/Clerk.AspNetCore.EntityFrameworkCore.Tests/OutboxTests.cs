using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Clerk.AspNetCore.TestShared;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>The outbox contract on each provider; each test builds a shop instance over the class's database.</summary>
public abstract class EntityFrameworkOutboxContractTests(TestDatabase database) : OutboxContractTests, IAsyncDisposable
{
    private ClerkInstance? _instance;

    protected override ValueTask<IClerkOutbox> CreateOutboxAsync()
    {
        _instance = new ClerkInstance(database, Time, NewStore());
        return ValueTask.FromResult(_instance.Outbox);
    }

    public async ValueTask DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteOutboxContractTests(SqliteTestDatabase database)
    : EntityFrameworkOutboxContractTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresOutboxContractTests(PostgresTestDatabase database)
    : EntityFrameworkOutboxContractTests(database), IClassFixture<PostgresTestDatabase>;
