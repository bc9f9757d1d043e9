using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>
/// The sale ledger's contract, and what the database adds: one claim across instances and scopes, and claims and
/// outbox rows that commit or roll back with the checkout's transaction.
/// </summary>
public abstract class SaleLedgerTests(TestDatabase database) : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly List<ClerkInstance> _instances = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryClaimAsync_FirstClaim_ReturnsTrueAndLaterClaimsFalse()
    {
        var shop = Instance();

        var first = await shop.Ledger.TryClaimAsync(shop.Store, "ORDER-1", Ct);
        var second = await shop.Ledger.TryClaimAsync(shop.Store, "ORDER-1", Ct);
        var other = await shop.Ledger.TryClaimAsync(shop.Store, "ORDER-2", Ct);

        Assert.True(first);
        Assert.False(second);
        Assert.True(other);
    }

    [Fact]
    public async Task ReleaseAsync_ClaimedOrder_LetsTheNextClaimSucceed()
    {
        var shop = Instance();
        await shop.Ledger.TryClaimAsync(shop.Store, "ORDER-1", Ct);

        await shop.Ledger.ReleaseAsync(shop.Store, "ORDER-1", Ct);
        var again = await shop.Ledger.TryClaimAsync(shop.Store, "ORDER-1", Ct);

        Assert.True(again);
    }

    [Fact]
    public async Task ReleaseAsync_UnclaimedOrder_DoesNothing()
    {
        var shop = Instance();

        await shop.Ledger.ReleaseAsync(shop.Store, "NEVER-CLAIMED", Ct);

        Assert.True(await shop.Ledger.TryClaimAsync(shop.Store, "NEVER-CLAIMED", Ct));
    }

    [Fact]
    public async Task TryClaimAsync_SameOrderInTwoStores_ClaimsItInEach()
    {
        var mine = Instance();
        var theirs = Instance();

        Assert.True(await mine.Ledger.TryClaimAsync(mine.Store, "ORDER-1", Ct));
        Assert.True(await theirs.Ledger.TryClaimAsync(theirs.Store, "ORDER-1", Ct));
    }

    [Fact]
    public async Task TryClaimAsync_FiftyConcurrentClaimsAcrossInstances_ExactlyOneWins()
    {
        var store = NewStore();
        var instances = new[] { Instance(store), Instance(store), Instance(store) };

        // No request: every claim runs on a scope (and a connection) of its own.
        var claims = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(async () => await instances[i % instances.Length].Ledger.TryClaimAsync(instances[i % instances.Length].Store, "ORDER-RACE", Ct), Ct)));

        Assert.Equal(1, claims.Count(c => c));
    }

    [Fact]
    public async Task TryClaimAsync_InTheRequest_DoesNotSaveTheShopsPendingChanges()
    {
        var shop = Instance();
        await using (var request = shop.BeginRequest())
        {
            request.Context.Orders.Add(new ShopOrder { Number = "UNSAVED", Email = "a@example.com" });

            Assert.True(await shop.Ledger.TryClaimAsync(shop.Store, "UNSAVED", Ct));
        }

        await using var scope = shop.NewScope(out var context);
        Assert.False(await context.Orders.AnyAsync(o => o.Number == "UNSAVED", Ct));
        Assert.True(await context.ClerkSaleClaims.AnyAsync(c => c.Store == shop.Store && c.OrderId == "UNSAVED", Ct));
    }

    [Fact]
    public async Task Checkout_TransactionRolledBack_LeavesNeitherOrderNorClaimNorOutboxRow()
    {
        var shop = Instance();
        var orderNumber = "ROLLED-BACK";
        await using (var request = shop.BeginRequest())
        {
            await using var transaction = await request.Context.Database.BeginTransactionAsync(Ct);
            await PlaceOrderAsync(shop, request.Context, orderNumber);

            await transaction.RollbackAsync(Ct);
        }

        Assert.False(await HasOrderAsync(shop, orderNumber));
        Assert.True(await shop.Ledger.TryClaimAsync(shop.Store, orderNumber, Ct));
        Assert.Equal(0, (await shop.Outbox.GetStatusAsync(shop.Store, Ct)).Pending);
        Assert.Empty(await shop.Outbox.LeaseAsync(shop.Store, 10, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task Checkout_TransactionCommitted_StoresOrderClaimAndOutboxRowTogether()
    {
        var shop = Instance();
        var orderNumber = "COMMITTED";
        await using (var request = shop.BeginRequest())
        {
            await using var transaction = await request.Context.Database.BeginTransactionAsync(Ct);
            await PlaceOrderAsync(shop, request.Context, orderNumber);

            await transaction.CommitAsync(Ct);
        }

        Assert.True(await HasOrderAsync(shop, orderNumber));
        Assert.False(await shop.Ledger.TryClaimAsync(shop.Store, orderNumber, Ct));
        var sale = Assert.Single(await shop.Outbox.LeaseAsync(shop.Store, 10, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(orderNumber, sale.OrderId);
    }

    [Fact]
    public async Task TryClaimAsync_ConflictInsideATransaction_LeavesTheTransactionUsable()
    {
        var shop = Instance();
        Assert.True(await shop.Ledger.TryClaimAsync(shop.Store, "TAKEN", Ct));
        await using (var request = shop.BeginRequest())
        {
            await using var transaction = await request.Context.Database.BeginTransactionAsync(Ct);

            // On PostgreSQL a failed statement would abort the transaction: the claim must not fail, only decline.
            Assert.False(await shop.Ledger.TryClaimAsync(shop.Store, "TAKEN", Ct));
            request.Context.Orders.Add(new ShopOrder { Number = "AFTER-CONFLICT", Email = "a@example.com" });
            await request.Context.SaveChangesAsync(Ct);
            await transaction.CommitAsync(Ct);
        }

        Assert.True(await HasOrderAsync(shop, "AFTER-CONFLICT"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>What a checkout does in its transaction: saves the order, claims its sale, and queues it.</summary>
    private async Task PlaceOrderAsync(ClerkInstance shop, ShopContext context, string orderNumber)
    {
        context.Orders.Add(new ShopOrder { Number = orderNumber, Email = "a@example.com" });
        await context.SaveChangesAsync(Ct);
        Assert.True(await shop.Ledger.TryClaimAsync(shop.Store, orderNumber, Ct));
        await shop.Outbox.AddAsync(new ClerkOutboxMessage
        {
            Id = Guid.NewGuid(),
            Store = shop.Store,
            Kind = "sale",
            Endpoint = "log/sale",
            Body = "{}",
            OrderId = orderNumber,
            CreatedAt = _time.GetUtcNow(),
        }, Ct);
    }

    private static async Task<bool> HasOrderAsync(ClerkInstance shop, string orderNumber)
    {
        await using var scope = shop.NewScope(out var context);
        return await context.Orders.AnyAsync(o => o.Number == orderNumber, Ct);
    }

    private ClerkInstance Instance(string? store = null)
    {
        var instance = new ClerkInstance(database, _time, store ?? NewStore());
        _instances.Add(instance);
        return instance;
    }

    private static string NewStore() => "store-" + Guid.NewGuid().ToString("N")[..16];
}

public sealed class SqliteSaleLedgerTests(SqliteTestDatabase database) : SaleLedgerTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresSaleLedgerTests(PostgresTestDatabase database) : SaleLedgerTests(database), IClassFixture<PostgresTestDatabase>;
