using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>The background cleanup: what it deletes, what it keeps, and that it runs on the clock and survives errors.</summary>
public abstract class CleanupTests(TestDatabase database) : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly List<ClerkInstance> _instances = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunOnceAsync_OldAndNewRows_DeletesExactlyTheExpiredOnesOfItsStore()
    {
        var shop = Instance(services => services.Configure<ClerkOptions>(o => o.SaleLedger.Retention = TimeSpan.FromDays(30)));
        var other = NewStore();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        await using (var scope = shop.NewScope(out var context))
        {
            context.ClerkOutbox.AddRange(
                Entry(shop.Store, "SENT-OLD", ClerkOutboxEntryState.Sent, sentAt: Now.AddDays(-8)),
                Entry(shop.Store, "SENT-RECENT", ClerkOutboxEntryState.Sent, sentAt: Now.AddDays(-6)),
                Entry(shop.Store, "FAILED-OLD", ClerkOutboxEntryState.Failed, sentAt: null, createdAt: Now.AddDays(-90)),
                Entry(shop.Store, "PENDING-OLD", ClerkOutboxEntryState.Pending, sentAt: null, createdAt: Now.AddDays(-90)),
                Entry(other, "OTHER-SENT-OLD", ClerkOutboxEntryState.Sent, sentAt: Now.AddDays(-8)));
            context.ClerkSaleClaims.AddRange(
                new ClerkSaleClaim { Store = shop.Store, OrderId = "CLAIM-OLD", ClaimedAt = Now.AddDays(-31) },
                new ClerkSaleClaim { Store = shop.Store, OrderId = "CLAIM-RECENT", ClaimedAt = Now.AddDays(-29) },
                new ClerkSaleClaim { Store = other, OrderId = "OTHER-CLAIM-OLD", ClaimedAt = Now.AddDays(-31) });
            context.ClerkCookielessSalts.AddRange(
                Salt(shop.Store, today.AddDays(-2)),
                Salt(shop.Store, today.AddDays(-1)),
                Salt(shop.Store, today),
                Salt(other, today.AddDays(-2)));
            await context.SaveChangesAsync(Ct);
        }

        var cleaned = await shop.Services.GetRequiredService<ClerkCleanup<ShopContext>>().RunOnceAsync(Ct);

        Assert.True(cleaned);
        await using var check = shop.NewScope(out var after);
        Assert.Equal(
            ["FAILED-OLD", "OTHER-SENT-OLD", "PENDING-OLD", "SENT-RECENT"],
            (await after.ClerkOutbox.Where(e => e.Store == shop.Store || e.Store == other).Select(e => e.OrderId!).ToListAsync(Ct)).Order());
        Assert.Equal(
            ["CLAIM-RECENT", "OTHER-CLAIM-OLD"],
            (await after.ClerkSaleClaims.Where(c => c.Store == shop.Store || c.Store == other).Select(c => c.OrderId).ToListAsync(Ct)).Order());
        // At noon the midnight grace is long over: yesterday's salt is gone too.
        Assert.Equal(
            [(other, today.AddDays(-2)), (shop.Store, today)],
            (await after.ClerkCookielessSalts.Where(s => s.Store == shop.Store || s.Store == other).Select(s => new { s.Store, s.Day }).ToListAsync(Ct))
                .Select(s => (s.Store, s.Day)).OrderBy(s => s.Day).ThenBy(s => s.Store == other ? 0 : 1));
    }

    [Fact]
    public async Task RunOnceAsync_SeveralConfiguredStores_CleansEachOfThemAndLeavesOtherStoresRows()
    {
        var en = NewStore();
        var da = NewStore();
        var removed = NewStore();
        var shop = Instance(services => services.Configure<ClerkOptions>(o =>
        {
            o.PublicKey = null;
            o.Stores["en"] = new ClerkStoreOptions { PublicKey = en };
            o.Stores["da"] = new ClerkStoreOptions { PublicKey = da };
            o.DefaultStore = "en";
            o.SaleLedger.Retention = TimeSpan.FromDays(30);
        }));
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        await using (var scope = shop.NewScope(out var context))
        {
            context.ClerkOutbox.AddRange(
                Entry(en, "EN-SENT-OLD", ClerkOutboxEntryState.Sent, sentAt: Now.AddDays(-8)),
                Entry(da, "DA-SENT-OLD", ClerkOutboxEntryState.Sent, sentAt: Now.AddDays(-8)),
                Entry(da, "DA-SENT-RECENT", ClerkOutboxEntryState.Sent, sentAt: Now.AddDays(-6)),
                Entry(removed, "REMOVED-SENT-OLD", ClerkOutboxEntryState.Sent, sentAt: Now.AddDays(-8)));
            context.ClerkSaleClaims.AddRange(
                new ClerkSaleClaim { Store = en, OrderId = "EN-CLAIM-OLD", ClaimedAt = Now.AddDays(-31) },
                new ClerkSaleClaim { Store = da, OrderId = "DA-CLAIM-OLD", ClaimedAt = Now.AddDays(-31) },
                new ClerkSaleClaim { Store = removed, OrderId = "REMOVED-CLAIM-OLD", ClaimedAt = Now.AddDays(-31) });
            context.ClerkCookielessSalts.AddRange(
                Salt(en, today.AddDays(-2)),
                Salt(en, today),
                Salt(removed, today.AddDays(-2)));
            await context.SaveChangesAsync(Ct);
        }

        var cleaned = await shop.Services.GetRequiredService<ClerkCleanup<ShopContext>>().RunOnceAsync(Ct);

        Assert.True(cleaned);
        string[] stores = [en, da, removed];
        await using var check = shop.NewScope(out var after);
        Assert.Equal(
            ["DA-SENT-RECENT", "REMOVED-SENT-OLD"],
            (await after.ClerkOutbox.Where(e => stores.Contains(e.Store)).Select(e => e.OrderId!).ToListAsync(Ct)).Order());
        Assert.Equal(
            ["REMOVED-CLAIM-OLD"],
            await after.ClerkSaleClaims.Where(c => stores.Contains(c.Store)).Select(c => c.OrderId).ToListAsync(Ct));
        Assert.Equal(
            [(removed, today.AddDays(-2)), (en, today)],
            (await after.ClerkCookielessSalts.Where(s => stores.Contains(s.Store)).Select(s => new { s.Store, s.Day }).ToListAsync(Ct))
                .Select(s => (s.Store, s.Day)).OrderBy(s => s.Day));
    }

    [Fact]
    public void ContextAccess_SeveralStores_KeepsTheAppsRowsUnderTheDefaultStoresKey()
    {
        var shop = Instance(services => services.Configure<ClerkOptions>(o =>
        {
            o.PublicKey = null;
            o.Stores["en"] = new ClerkStoreOptions { PublicKey = "pk-en" };
            o.Stores["da"] = new ClerkStoreOptions { PublicKey = "pk-da" };
            o.DefaultStore = "en";
        }));
        var access = shop.Services.GetRequiredService<ClerkContextAccess<ShopContext>>();

        Assert.Equal(["pk-da", "pk-en"], access.Stores);
        Assert.Equal("pk-en", access.Store);
    }

    [Fact]
    public async Task CleanupService_EachInterval_RunsTheCleanup()
    {
        var rounds = 0;
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var shop = Instance(services => services
            .Configure<ClerkEntityFrameworkOptions>(o => o.CleanupInterval = TimeSpan.FromMinutes(5))
            .AddSingleton<ILoggerProvider>(new CallbackLoggerProvider(id =>
            {
                if (id == 61 && Interlocked.Increment(ref rounds) == 2)
                {
                    ran.TrySetResult();
                }
            })));
        await using (var scope = shop.NewScope(out var context))
        {
            context.ClerkSaleClaims.Add(new ClerkSaleClaim { Store = shop.Store, OrderId = "OLD", ClaimedAt = Now.AddDays(-400) });
            await context.SaveChangesAsync(Ct);
        }

        var service = shop.Services.GetServices<IHostedService>().Single(s => s is ClerkCleanupService<ShopContext>);
        await service.StartAsync(Ct);
        // The service starts its loop on a thread of its own (BackgroundService in .NET 10): keep moving the fake
        // clock an interval at a time until two rounds have run.
        await WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromMinutes(5));
            return ran.Task.IsCompleted;
        });
        await service.StopAsync(Ct);

        await using var check = shop.NewScope(out var after);
        Assert.False(await after.ClerkSaleClaims.AnyAsync(c => c.Store == shop.Store, Ct));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // The round runs on the timer's thread; wait for it on the real clock, without sleeping.
        var deadline = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(30), "The cleanup did not run.");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, Ct);
        }
    }

    private static ClerkOutboxEntry Entry(string store, string orderId, ClerkOutboxEntryState state, DateTimeOffset? sentAt, DateTimeOffset? createdAt = null) => new()
    {
        Id = Guid.NewGuid(),
        Store = store,
        Kind = "sale",
        Endpoint = "log/sale",
        Body = "{}",
        OrderId = orderId,
        State = state,
        CreatedAt = createdAt ?? sentAt ?? Now,
        DueAt = createdAt ?? sentAt ?? Now,
        SentAt = sentAt,
    };

    private static ClerkCookielessSalt Salt(string store, DateOnly day) =>
        new() { Store = store, Day = day, Salt = new byte[32], CreatedAt = Now };

    private ClerkInstance Instance(Action<IServiceCollection>? configure = null)
    {
        var instance = new ClerkInstance(database, _time, NewStore(), configure);
        _instances.Add(instance);
        return instance;
    }

    private static string NewStore() => "store-" + Guid.NewGuid().ToString("N")[..16];
}

public sealed class SqliteCleanupTests(SqliteTestDatabase database) : CleanupTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresCleanupTests(PostgresTestDatabase database) : CleanupTests(database), IClassFixture<PostgresTestDatabase>;

/// <summary>A database that fails (here: its tables are missing) is logged per table and tried again next round.</summary>
public sealed class CleanupFailureTests
{
    [Fact]
    public async Task RunOnceAsync_DatabaseFails_LogsEvent60ForEachTableAndReportsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = new SqliteTestDatabase();
        try
        {
            await using var shop = new ClerkInstance(database, new FakeTimeProvider(), "store-failing");

            var cleaned = await shop.Services.GetRequiredService<ClerkCleanup<ShopContext>>().RunOnceAsync(ct);

            Assert.False(cleaned);
            var failures = shop.Logs.GetSnapshot().Where(l => l.Id.Id == 60).ToList();
            Assert.Equal(["clerk_cookieless_activity", "clerk_cookieless_salts", "clerk_outbox", "clerk_sale_claims"], failures.Select(f => f.StructuredState!.Single(p => p.Key == "Table").Value).Order());
            Assert.All(failures, f => Assert.Equal(LogLevel.Error, f.Level));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}

/// <summary>Calls back with the event id of every log, so a test can wait for one.</summary>
internal sealed class CallbackLoggerProvider(Action<int> onLog) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CallbackLogger(onLog);

    public void Dispose()
    {
    }

    private sealed class CallbackLogger(Action<int> onLog) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            onLog(eventId.Id);
    }
}
