using Clerk.AspNetCore.Sales;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Sales;

public sealed class InMemorySaleLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryClaimAsync_FirstClaim_True_LaterClaims_False()
    {
        var ledger = Ledger(new FakeTimeProvider(Start));
        var cancellation = TestContext.Current.CancellationToken;

        Assert.True(await ledger.TryClaimAsync("store", "ORD-1", cancellation));
        Assert.False(await ledger.TryClaimAsync("store", "ORD-1", cancellation));
        Assert.False(await ledger.TryClaimAsync("store", "ORD-1", cancellation));
        Assert.True(await ledger.TryClaimAsync("store", "ORD-2", cancellation));
    }

    [Fact]
    public async Task TryClaimAsync_SameOrderInTwoStores_ClaimsItInEachAndReleasesOnlyOne()
    {
        var ledger = Ledger(new FakeTimeProvider(Start));
        var cancellation = TestContext.Current.CancellationToken;

        Assert.True(await ledger.TryClaimAsync("pub-dk", "1001", cancellation));
        Assert.True(await ledger.TryClaimAsync("pub-en", "1001", cancellation));
        await ledger.ReleaseAsync("pub-en", "1001", cancellation);

        Assert.False(await ledger.TryClaimAsync("pub-dk", "1001", cancellation));
        Assert.True(await ledger.TryClaimAsync("pub-en", "1001", cancellation));
    }

    [Fact]
    public async Task TryClaimAsync_OrderIdsDifferingInCase_AreDifferentOrders()
    {
        var ledger = Ledger(new FakeTimeProvider(Start));

        Assert.True(await ledger.TryClaimAsync("store", "ord-1", TestContext.Current.CancellationToken));
        Assert.True(await ledger.TryClaimAsync("store", "ORD-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryClaimAsync_ManyConcurrentClaimsOfOneOrder_ExactlyOneWins()
    {
        var ledger = Ledger(new FakeTimeProvider(Start));
        using var start = new ManualResetEventSlim();

        var claims = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            return await ledger.TryClaimAsync("store", "ORD-1", TestContext.Current.CancellationToken);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(claims);

        Assert.Single(results, won => won);
    }

    [Fact]
    public async Task ReleaseAsync_ClaimedOrder_CanBeClaimedAgain()
    {
        var ledger = Ledger(new FakeTimeProvider(Start));
        await ledger.TryClaimAsync("store", "ORD-1", TestContext.Current.CancellationToken);

        await ledger.ReleaseAsync("store", "ORD-1", TestContext.Current.CancellationToken);

        Assert.True(await ledger.TryClaimAsync("store", "ORD-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryClaimAsync_WithinRetention_False_AfterRetention_True()
    {
        var clock = new FakeTimeProvider(Start);
        var ledger = Ledger(clock, o => o.Retention = TimeSpan.FromDays(30));
        await ledger.TryClaimAsync("store", "ORD-1", TestContext.Current.CancellationToken);

        clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.False(await ledger.TryClaimAsync("store", "ORD-1", TestContext.Current.CancellationToken));

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await ledger.TryClaimAsync("store", "ORD-1", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(21)]
    public async Task TryClaimAsync_Full_StillRemembersTheNewestOrders(int sizeLimit)
    {
        var ledger = Ledger(new FakeTimeProvider(Start), o => o.SizeLimit = sizeLimit);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(await ledger.TryClaimAsync("store", $"ORD-{i}", TestContext.Current.CancellationToken));

            // However full the ledger, the order just claimed is remembered: its refresh renders nothing.
            Assert.False(await ledger.TryClaimAsync("store", $"ORD-{i}", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task TryClaimAsync_Full_ForgetsExactlyTheLeastRecentlySeenOrder()
    {
        var clock = new FakeTimeProvider(Start);
        var ledger = Ledger(clock, o => o.SizeLimit = 3);
        var cancellation = TestContext.Current.CancellationToken;
        foreach (var order in new[] { "A", "B", "C" })
        {
            Assert.True(await ledger.TryClaimAsync("store", order, cancellation));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.False(await ledger.TryClaimAsync("store", "A", cancellation)); // A is seen again (a refresh): now the most recent.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await ledger.TryClaimAsync("store", "D", cancellation));

        Assert.False(await ledger.TryClaimAsync("store", "A", cancellation));
        Assert.False(await ledger.TryClaimAsync("store", "C", cancellation));
        Assert.False(await ledger.TryClaimAsync("store", "D", cancellation));
        Assert.True(await ledger.TryClaimAsync("store", "B", cancellation)); // B was forgotten, so its sale may go again.
    }

    [Fact]
    public async Task TryClaimAsync_ManyOrdersAtOneInstant_RemembersEachNewOrderAndStaysBounded()
    {
        // The clock does not move (a burst of orders in one tick): the bound still holds and no new claim is lost.
        var ledger = Ledger(new FakeTimeProvider(Start), o => o.SizeLimit = 20);
        var cancellation = TestContext.Current.CancellationToken;
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                var order = $"R{round}-{i}";
                Assert.True(await ledger.TryClaimAsync("store", order, cancellation));
                Assert.False(await ledger.TryClaimAsync("store", order, cancellation));
            }
        }

        // Newest first: asking about a forgotten order claims it again, which forgets the least recently seen.
        var remembered = 0;
        for (var i = 99; i >= 0; i--)
        {
            remembered += await ledger.TryClaimAsync("store", $"R49-{i}", cancellation) ? 0 : 1;
        }

        Assert.Equal(20, remembered);
    }

    [Fact]
    public async Task TryClaimAsync_Full_ForgetsOldOrdersToStayBounded()
    {
        var ledger = Ledger(new FakeTimeProvider(Start), o => o.SizeLimit = 20);
        for (var i = 0; i < 100; i++)
        {
            await ledger.TryClaimAsync("store", $"ORD-{i}", TestContext.Current.CancellationToken);
        }

        // Newest first: asking about a forgotten order claims it again, which forgets the least recently seen.
        var remembered = 0;
        for (var i = 99; i >= 0; i--)
        {
            if (!await ledger.TryClaimAsync("store", $"ORD-{i}", TestContext.Current.CancellationToken))
            {
                remembered++;
            }
        }

        Assert.Equal(20, remembered);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public async Task TryClaimAsync_NoOrderId_Throws(string? orderId)
    {
        var ledger = Ledger(new FakeTimeProvider(Start));

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await ledger.TryClaimAsync("store", orderId!, TestContext.Current.CancellationToken));
    }

    private static InMemorySaleLedger Ledger(TimeProvider clock, Action<ClerkSaleLedgerOptions>? configure = null)
    {
        var options = new ClerkOptions { PublicKey = "k" };
        configure?.Invoke(options.SaleLedger);
        return new InMemorySaleLedger(Options.Create(options), clock);
    }
}
