using Clerk.AspNetCore.Sales;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Sales;

public sealed class MemoryCacheSaleLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryClaimAsync_FirstClaim_True_LaterClaims_False()
    {
        using var ledger = Ledger(new FakeTimeProvider(Start));
        var cancellation = TestContext.Current.CancellationToken;

        Assert.True(await ledger.TryClaimAsync("ORD-1", cancellation));
        Assert.False(await ledger.TryClaimAsync("ORD-1", cancellation));
        Assert.False(await ledger.TryClaimAsync("ORD-1", cancellation));
        Assert.True(await ledger.TryClaimAsync("ORD-2", cancellation));
    }

    [Fact]
    public async Task TryClaimAsync_OrderIdsDifferingInCase_AreDifferentOrders()
    {
        using var ledger = Ledger(new FakeTimeProvider(Start));

        Assert.True(await ledger.TryClaimAsync("ord-1", TestContext.Current.CancellationToken));
        Assert.True(await ledger.TryClaimAsync("ORD-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryClaimAsync_ManyConcurrentClaimsOfOneOrder_ExactlyOneWins()
    {
        using var ledger = Ledger(new FakeTimeProvider(Start));
        using var start = new ManualResetEventSlim();

        var claims = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            return await ledger.TryClaimAsync("ORD-1", TestContext.Current.CancellationToken);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(claims);

        Assert.Single(results, won => won);
    }

    [Fact]
    public async Task ReleaseAsync_ClaimedOrder_CanBeClaimedAgain()
    {
        using var ledger = Ledger(new FakeTimeProvider(Start));
        await ledger.TryClaimAsync("ORD-1", TestContext.Current.CancellationToken);

        await ledger.ReleaseAsync("ORD-1", TestContext.Current.CancellationToken);

        Assert.True(await ledger.TryClaimAsync("ORD-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryClaimAsync_WithinRetention_False_AfterRetention_True()
    {
        var clock = new FakeTimeProvider(Start);
        using var ledger = Ledger(clock, o => o.Retention = TimeSpan.FromDays(30));
        await ledger.TryClaimAsync("ORD-1", TestContext.Current.CancellationToken);

        clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.False(await ledger.TryClaimAsync("ORD-1", TestContext.Current.CancellationToken));

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await ledger.TryClaimAsync("ORD-1", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(21)]
    public async Task TryClaimAsync_Full_StillRemembersTheNewestOrders(int sizeLimit)
    {
        using var ledger = Ledger(new FakeTimeProvider(Start), o => o.SizeLimit = sizeLimit);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(await ledger.TryClaimAsync($"ORD-{i}", TestContext.Current.CancellationToken));

            // However full the ledger, the order just claimed is remembered: its refresh renders nothing.
            Assert.False(await ledger.TryClaimAsync($"ORD-{i}", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task TryClaimAsync_Full_ForgetsOldOrdersToStayBounded()
    {
        using var ledger = Ledger(new FakeTimeProvider(Start), o => o.SizeLimit = 20);
        for (var i = 0; i < 100; i++)
        {
            await ledger.TryClaimAsync($"ORD-{i}", TestContext.Current.CancellationToken);
        }

        var remembered = 0;
        for (var i = 0; i < 100; i++)
        {
            if (!await ledger.TryClaimAsync($"ORD-{i}", TestContext.Current.CancellationToken))
            {
                remembered++;
            }
        }

        Assert.InRange(remembered, 1, 20);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public async Task TryClaimAsync_NoOrderId_Throws(string? orderId)
    {
        using var ledger = Ledger(new FakeTimeProvider(Start));

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await ledger.TryClaimAsync(orderId!, TestContext.Current.CancellationToken));
    }

    private static MemoryCacheSaleLedger Ledger(TimeProvider clock, Action<ClerkSaleLedgerOptions>? configure = null)
    {
        var options = new ClerkOptions { PublicKey = "k" };
        configure?.Invoke(options.SaleLedger);
        return new MemoryCacheSaleLedger(Options.Create(options), clock);
    }
}
