using Clerk.AspNetCore.Tests.TestSupport;
using Clerk.AspNetCore.Visitors;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Visitors;

public sealed class InMemoryCookielessSaltStoreTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetSaltAsync_SameDay_ReturnsSameSalt()
    {
        var clock = new FakeTimeProvider(Noon);
        var store = new InMemoryCookielessSaltStore(clock);

        var first = await store.GetSaltAsync(Today, TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromHours(11.9));
        var second = await store.GetSaltAsync(Today, TestContext.Current.CancellationToken);

        Assert.True(first.Span.SequenceEqual(second.Span));
    }

    [Fact]
    public async Task GetSaltAsync_Always_Returns32RandomBytes()
    {
        var salt = await new InMemoryCookielessSaltStore(new FakeTimeProvider(Noon)).GetSaltAsync(Today, TestContext.Current.CancellationToken);

        Assert.Equal(32, salt.Length);
        Assert.Contains(salt.ToArray(), b => b != 0);
    }

    [Fact]
    public async Task GetSaltAsync_NewDay_ReturnsNewSalt()
    {
        var clock = new FakeTimeProvider(Noon);
        var store = new InMemoryCookielessSaltStore(clock);

        var today = await store.GetSaltAsync(Today, TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = await store.GetSaltAsync(Today.AddDays(1), TestContext.Current.CancellationToken);

        Assert.False(today.Span.SequenceEqual(tomorrow.Span));
    }

    [Fact]
    public async Task GetSaltAsync_PastDayAfterNewDay_DoesNotBringTheOldSaltBack()
    {
        // A request that began just before midnight asks for yesterday once the store has moved on.
        var clock = new FakeTimeProvider(Noon);
        var store = new InMemoryCookielessSaltStore(clock);
        var yesterday = (await store.GetSaltAsync(Today, TestContext.Current.CancellationToken)).ToArray();
        clock.Advance(TimeSpan.FromDays(1));
        var today = (await store.GetSaltAsync(Today.AddDays(1), TestContext.Current.CancellationToken)).ToArray();

        var late = await store.GetSaltAsync(Today, TestContext.Current.CancellationToken);

        Assert.False(late.Span.SequenceEqual(yesterday));
        Assert.True(late.Span.SequenceEqual(today));
    }

    [Fact]
    public async Task GetSaltAsync_ClockSetForwardThenBack_NeverReturnsTheFutureDatedSalt()
    {
        var clock = new AdjustableTimeProvider(Noon);
        var store = new InMemoryCookielessSaltStore(clock);
        clock.SetWallClock(Noon.AddDays(3));
        var future = (await store.GetSaltAsync(Today.AddDays(3), TestContext.Current.CancellationToken)).ToArray();

        clock.SetWallClock(Noon.AddMinutes(1));
        var today = (await store.GetSaltAsync(Today, TestContext.Current.CancellationToken)).ToArray();
        var again = await store.GetSaltAsync(Today, TestContext.Current.CancellationToken);

        Assert.False(today.AsSpan().SequenceEqual(future));
        Assert.True(again.Span.SequenceEqual(today));
    }

    [Fact]
    public async Task GetSaltAsync_TwoStores_ReturnDifferentSalts()
    {
        var one = await new InMemoryCookielessSaltStore(new FakeTimeProvider(Noon)).GetSaltAsync(Today, TestContext.Current.CancellationToken);
        var two = await new InMemoryCookielessSaltStore(new FakeTimeProvider(Noon)).GetSaltAsync(Today, TestContext.Current.CancellationToken);

        Assert.False(one.Span.SequenceEqual(two.Span));
    }

    [Fact]
    public async Task GetSaltAsync_ConcurrentFirstCalls_AllGetOneSalt()
    {
        var store = new InMemoryCookielessSaltStore(new FakeTimeProvider(Noon));

        var salts = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            Task.Run(async () => (await store.GetSaltAsync(Today, CancellationToken.None)).ToArray(), TestContext.Current.CancellationToken)));

        Assert.All(salts, s => Assert.Equal(salts[0], s));
    }
}
