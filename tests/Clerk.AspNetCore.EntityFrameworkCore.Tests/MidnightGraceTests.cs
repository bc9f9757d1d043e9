using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>
/// The midnight grace across a web farm: a cookieless visitor seen by one instance at 23:58 keeps the day's ID when
/// the sale reaches another instance at 00:03, with one database between them; after the grace the day's salt and
/// active visitors are gone from the database.
/// </summary>
public abstract class MidnightGraceTests(TestDatabase database) : IAsyncDisposable
{
    private const string Visitor = "Click2358Visitor";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 23, 58, 0, TimeSpan.Zero));
    private readonly List<ClerkInstance> _instances = [];
    private readonly DateOnly _day = new(2026, 11, 25);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WasActiveAsync_ActiveAt2358OnInstanceA_IsKeptAt0003OnInstanceB()
    {
        var store = NewStore();
        var (a, b) = (Instance(store), Instance(store));
        var clickSalt = (await a.Salts.GetSaltAsync(_day, Ct)).ToArray();
        Grace(a).RecordActive(_day, Visitor);
        await FlushAsync(a);

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(clickSalt, (await b.Salts.GetSaltAsync(_day, Ct)).ToArray());
        Assert.True(await Grace(b).WasActiveAsync(_day, Visitor, Ct));
        Assert.False(await Grace(b).WasActiveAsync(_day, "NeverSeenVisitor", Ct));
    }

    [Fact]
    public async Task RecordActive_ManyRequestsBeforeMidnight_WritesEachVisitorOnceInABatch()
    {
        var shop = Instance();
        for (var request = 0; request < 60; request++)
        {
            Grace(shop).RecordActive(_day, "Visitor" + (request % 3));
        }

        Assert.Equal(0, shop.Commands.CountTouching("clerk_cookieless_activity"));   // nothing on the request path
        await FlushAsync(shop);

        Assert.Equal(3, shop.Commands.CountTouching("clerk_cookieless_activity"));
        Assert.Equal(3, await ActivityRowsAsync(shop));
    }

    [Fact]
    public async Task WasActiveAsync_RecordedElsewhereAfterTheFirstLookup_IsSeenAfterTheRefresh()
    {
        var store = NewStore();
        var (a, b) = (Instance(store), Instance(store));
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));   // 00:00:01
        Assert.False(await Grace(b).WasActiveAsync(_day, Visitor, Ct));

        // A's last batch of the day lands after B first looked.
        Grace(a).RecordActive(_day, Visitor);
        await FlushAsync(a);
        _time.Advance(EntityFrameworkCookielessGraceStore<ShopContext>.RefreshInterval);
        await Grace(b).WasActiveAsync(_day, Visitor, Ct);   // starts the background refresh
        await Refreshed(b);

        Assert.True(await Grace(b).WasActiveAsync(_day, Visitor, Ct));
    }

    [Fact]
    public async Task GraceEnd_ForgetsTheDaysSaltAndVisitorsInTheDatabaseAndInMemory()
    {
        var store = NewStore();
        var (a, b) = (Instance(store), Instance(store));
        var yesterdaysSalt = (await a.Salts.GetSaltAsync(_day, Ct)).ToArray();
        Grace(a).RecordActive(_day, Visitor);
        await FlushAsync(a);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(yesterdaysSalt, (await b.Salts.GetSaltAsync(_day, Ct)).ToArray());
        Assert.True(await Grace(b).WasActiveAsync(_day, Visitor, Ct));

        _time.Advance(TimeSpan.FromMinutes(30));   // 00:33: the grace is over; timers, no request
        await Cleanup(a).Forgetting;
        await Cleanup(b).Forgetting;

        Assert.Equal(0, await ActivityRowsAsync(b));
        Assert.False(await SaltRowExistsAsync(b, _day));
        Assert.False(await Grace(b).WasActiveAsync(_day, Visitor, Ct));
        Assert.NotEqual(yesterdaysSalt, (await b.Salts.GetSaltAsync(_day, Ct)).ToArray());
    }

    [Fact]
    public async Task RunOnceAsync_InTheGrace_KeepsYesterdaysSaltAndAfterItDeletesIt()
    {
        var shop = Instance();
        await shop.Salts.GetSaltAsync(_day, Ct);
        _time.Advance(TimeSpan.FromMinutes(5));

        await Cleanup(shop).RunOnceAsync(Ct);
        Assert.True(await SaltRowExistsAsync(shop, _day));

        _time.Advance(TimeSpan.FromMinutes(30));
        await Cleanup(shop).RunOnceAsync(Ct);
        Assert.False(await SaltRowExistsAsync(shop, _day));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static EntityFrameworkCookielessGraceStore<ShopContext> Grace(ClerkInstance instance) =>
        (EntityFrameworkCookielessGraceStore<ShopContext>)instance.Services.GetRequiredService<IClerkCookielessGraceStore>();

    private static ClerkCleanup<ShopContext> Cleanup(ClerkInstance instance) =>
        instance.Services.GetRequiredService<ClerkCleanup<ShopContext>>();

    private async Task FlushAsync(ClerkInstance instance)
    {
        _time.Advance(EntityFrameworkCookielessGraceStore<ShopContext>.FlushDelay);
        await Grace(instance).LastFlush;
    }

    private static async Task Refreshed(ClerkInstance instance)
    {
        if (Grace(instance).LastRefresh is { } refresh)
        {
            await refresh;
        }
    }

    private async Task<int> ActivityRowsAsync(ClerkInstance instance)
    {
        await using var scope = instance.NewScope(out var context);
        return await context.Set<ClerkCookielessActivity>().CountAsync(a => a.Store == instance.Store && a.Day == _day, Ct);
    }

    private static async Task<bool> SaltRowExistsAsync(ClerkInstance instance, DateOnly day)
    {
        await using var scope = instance.NewScope(out var context);
        return await context.ClerkCookielessSalts.AnyAsync(s => s.Store == instance.Store && s.Day == day, Ct);
    }

    private ClerkInstance Instance(string? store = null)
    {
        var instance = new ClerkInstance(database, _time, store ?? NewStore());
        _instances.Add(instance);
        return instance;
    }

    private static string NewStore() => "store-" + Guid.NewGuid().ToString("N")[..16];
}

public sealed class SqliteMidnightGraceTests(SqliteTestDatabase database)
    : MidnightGraceTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresMidnightGraceTests(PostgresTestDatabase database)
    : MidnightGraceTests(database), IClassFixture<PostgresTestDatabase>;
