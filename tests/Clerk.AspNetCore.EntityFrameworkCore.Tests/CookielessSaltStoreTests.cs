using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>
/// The salt store's contract (<see cref="IClerkCookielessSaltStore"/>) over a shared database: one random salt per
/// store and UTC day, the same on every instance, read from the database once per day and instance.
/// </summary>
public abstract class CookielessSaltStoreTests(TestDatabase database) : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly List<ClerkInstance> _instances = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task GetSaltAsync_SameDay_ReturnsTheSame32RandomBytes()
    {
        var shop = Instance();

        var first = await shop.Salts.GetSaltAsync(Today, Ct);
        _time.Advance(TimeSpan.FromHours(11));
        var second = await shop.Salts.GetSaltAsync(Today, Ct);

        Assert.Equal(32, first.Length);
        Assert.Contains(first.ToArray(), b => b != 0);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public async Task GetSaltAsync_TwoInstancesOnOneDatabase_ReturnTheSameSalt()
    {
        var store = NewStore();
        var a = Instance(store);
        var b = Instance(store);

        var fromA = await a.Salts.GetSaltAsync(Today, Ct);
        var fromB = await b.Salts.GetSaltAsync(Today, Ct);

        Assert.Equal(fromA.ToArray(), fromB.ToArray());
    }

    [Fact]
    public async Task GetSaltAsync_InstancesAskingAtOnce_AllGetTheSameSalt()
    {
        var store = NewStore();
        var instances = Enumerable.Range(0, 4).Select(_ => Instance(store)).ToList();

        var salts = await Task.WhenAll(instances.Select(i => Task.Run(async () => (await i.Salts.GetSaltAsync(Today, Ct)).ToArray(), Ct)));

        Assert.All(salts, salt => Assert.Equal(salts[0], salt));
    }

    [Fact]
    public async Task GetSaltAsync_TwoStores_GetDifferentSalts()
    {
        var mine = await Instance().Salts.GetSaltAsync(Today, Ct);
        var theirs = await Instance().Salts.GetSaltAsync(Today, Ct);

        Assert.NotEqual(mine.ToArray(), theirs.ToArray());
    }

    [Fact]
    public async Task GetSaltAsync_NextDay_ReturnsANewSalt()
    {
        var shop = Instance();
        var today = (await shop.Salts.GetSaltAsync(Today, Ct)).ToArray();

        _time.Advance(TimeSpan.FromDays(1));
        var tomorrow = (await shop.Salts.GetSaltAsync(Today, Ct)).ToArray();

        Assert.NotEqual(today, tomorrow);
    }

    [Fact]
    public async Task GetSaltAsync_YesterdayInTheMidnightGrace_ReturnsYesterdaysSalt()
    {
        var shop = Instance();
        var yesterdays = (await shop.Salts.GetSaltAsync(Today, Ct)).ToArray();
        _time.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(10));   // 00:10, in the 30-minute grace

        var asked = (await shop.Salts.GetSaltAsync(Today.AddDays(-1), Ct)).ToArray();

        Assert.Equal(yesterdays, asked);
    }

    [Fact]
    public async Task GetSaltAsync_YesterdayAfterTheMidnightGrace_ReturnsTodaysSalt()
    {
        var shop = Instance();
        var yesterdays = (await shop.Salts.GetSaltAsync(Today, Ct)).ToArray();
        _time.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(31));   // 00:31, the grace is over

        var asked = (await shop.Salts.GetSaltAsync(Today.AddDays(-1), Ct)).ToArray();

        Assert.NotEqual(yesterdays, asked);
        Assert.Equal((await shop.Salts.GetSaltAsync(Today, Ct)).ToArray(), asked);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(1)]
    [InlineData(30)]
    public async Task GetSaltAsync_DayNeitherTodayNorYesterday_ReturnsTodaysSalt(int daysFromToday)
    {
        var shop = Instance();
        var todays = (await shop.Salts.GetSaltAsync(Today, Ct)).ToArray();

        var asked = (await shop.Salts.GetSaltAsync(Today.AddDays(daysFromToday), Ct)).ToArray();

        Assert.Equal(todays, asked);
    }

    [Fact]
    public async Task GetSaltAsync_ManyRequestsInADay_ReadsTheDatabaseOncePerDayAndInstance()
    {
        var shop = Instance();

        // Concurrent first requests of the day share one trip; every later one is answered from memory.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => shop.Salts.GetSaltAsync(Today, Ct).AsTask()));
        for (var i = 0; i < 100; i++)
        {
            await shop.Salts.GetSaltAsync(Today, Ct);
        }

        var firstDay = shop.Commands.CountTouching("clerk_cookieless_salts");
        _time.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 100; i++)
        {
            await shop.Salts.GetSaltAsync(Today, Ct);
        }

        var secondDay = shop.Commands.CountTouching("clerk_cookieless_salts") - firstDay;

        Assert.Equal(2, firstDay);    // insert-if-absent, then read
        Assert.Equal(2, secondDay);
    }

    [Fact]
    public async Task GetSaltAsync_Loaded_NeverLogsTheSalt()
    {
        var shop = Instance();

        var salt = (await shop.Salts.GetSaltAsync(Today, Ct)).ToArray();

        var logs = shop.Logs.GetSnapshot();
        Assert.Contains(logs, l => l.Id.Id == 62);
        var forms = new[] { Convert.ToHexString(salt), Convert.ToHexStringLower(salt), Convert.ToBase64String(salt) };
        Assert.All(logs, l => Assert.All(forms, form => Assert.DoesNotContain(form, l.Message + l.Exception, StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private ClerkInstance Instance(string? store = null)
    {
        var instance = new ClerkInstance(database, _time, store ?? NewStore());
        _instances.Add(instance);
        return instance;
    }

    private static string NewStore() => "store-" + Guid.NewGuid().ToString("N")[..16];
}

public sealed class SqliteCookielessSaltStoreTests(SqliteTestDatabase database)
    : CookielessSaltStoreTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresCookielessSaltStoreTests(PostgresTestDatabase database)
    : CookielessSaltStoreTests(database), IClassFixture<PostgresTestDatabase>;

/// <summary>A failed first trip of the day is not remembered: the next request tries the database again.</summary>
public sealed class CookielessSaltStoreRecoveryTests
{
    [Fact]
    public async Task GetSaltAsync_DatabaseFailedOnce_TriesAgainOnTheNextRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var database = new SqliteTestDatabase();   // no tables yet: the first trip fails
        try
        {
            await using var shop = new ClerkInstance(database, time, "store-recovery");

            await Assert.ThrowsAnyAsync<Exception>(async () => await shop.Salts.GetSaltAsync(today, ct));
            await database.InitializeAsync();
            var salt = await shop.Salts.GetSaltAsync(today, ct);

            Assert.Equal(32, salt.Length);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}
