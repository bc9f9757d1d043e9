using Clerk.AspNetCore.Visitors;

namespace Clerk.AspNetCore.Tests.Visitors;

public sealed class InMemoryCookielessSaltStoreTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    [Fact]
    public async Task GetSaltAsync_SameDay_ReturnsSameSalt()
    {
        var store = new InMemoryCookielessSaltStore();

        var first = await store.GetSaltAsync(Today, TestContext.Current.CancellationToken);
        var second = await store.GetSaltAsync(Today, TestContext.Current.CancellationToken);

        Assert.True(first.Span.SequenceEqual(second.Span));
    }

    [Fact]
    public async Task GetSaltAsync_Always_Returns32RandomBytes()
    {
        var salt = await new InMemoryCookielessSaltStore().GetSaltAsync(Today, TestContext.Current.CancellationToken);

        Assert.Equal(32, salt.Length);
        Assert.Contains(salt.ToArray(), b => b != 0);
    }

    [Fact]
    public async Task GetSaltAsync_NewDay_ReturnsNewSalt()
    {
        var store = new InMemoryCookielessSaltStore();

        var today = await store.GetSaltAsync(Today, TestContext.Current.CancellationToken);
        var tomorrow = await store.GetSaltAsync(Today.AddDays(1), TestContext.Current.CancellationToken);

        Assert.False(today.Span.SequenceEqual(tomorrow.Span));
    }

    [Fact]
    public async Task GetSaltAsync_PastDayAfterNewDay_DoesNotBringTheOldSaltBack()
    {
        var store = new InMemoryCookielessSaltStore();
        var yesterday = (await store.GetSaltAsync(Today, TestContext.Current.CancellationToken)).ToArray();
        var today = (await store.GetSaltAsync(Today.AddDays(1), TestContext.Current.CancellationToken)).ToArray();

        var late = await store.GetSaltAsync(Today, TestContext.Current.CancellationToken);

        Assert.False(late.Span.SequenceEqual(yesterday));
        Assert.True(late.Span.SequenceEqual(today));
    }

    [Fact]
    public async Task GetSaltAsync_TwoStores_ReturnDifferentSalts()
    {
        var one = await new InMemoryCookielessSaltStore().GetSaltAsync(Today, TestContext.Current.CancellationToken);
        var two = await new InMemoryCookielessSaltStore().GetSaltAsync(Today, TestContext.Current.CancellationToken);

        Assert.False(one.Span.SequenceEqual(two.Span));
    }

    [Fact]
    public async Task GetSaltAsync_ConcurrentFirstCalls_AllGetOneSalt()
    {
        var store = new InMemoryCookielessSaltStore();

        var salts = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            Task.Run(async () => (await store.GetSaltAsync(Today, CancellationToken.None)).ToArray(), TestContext.Current.CancellationToken)));

        Assert.All(salts, s => Assert.Equal(salts[0], s));
    }
}
