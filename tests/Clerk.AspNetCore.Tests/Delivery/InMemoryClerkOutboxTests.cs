using Clerk.AspNetCore.Delivery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>The lease rules of <see cref="InMemoryClerkOutbox"/>, as <see cref="IClerkOutbox"/> states them, on a fake clock.</summary>
public sealed class InMemoryClerkOutboxTests
{
    private const string Store = "store-a";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private readonly OutboxSignal _signal = new();
    private readonly InMemoryClerkOutbox _outbox;

    public InMemoryClerkOutboxTests() =>
        _outbox = new InMemoryClerkOutbox(_time, _signal, NullLogger<InMemoryClerkOutbox>.Instance, capacity: 3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ClerkOutboxMessage> AddAsync(string orderId, TimeSpan? dueIn = null, string store = Store, string kind = "sale")
    {
        var now = _time.GetUtcNow();
        var message = new ClerkOutboxMessage
        {
            Id = Guid.NewGuid(),
            Store = store,
            Kind = kind,
            Endpoint = kind == "sale" ? "log/sale" : "product/add",
            Body = $$"""{"sale":"{{orderId}}","products":[]}""",
            OrderId = orderId,
            CreatedAt = now,
            DueAt = now + (dueIn ?? TimeSpan.Zero),
        };
        await _outbox.AddAsync(message, Ct);
        return message;
    }

    [Fact]
    public async Task LeaseAsync_SeveralDue_EarliestDueFirstUpToMaxCountEachWithANewLease()
    {
        await AddAsync("NG-2", dueIn: TimeSpan.FromSeconds(2));
        await AddAsync("NG-1");
        await AddAsync("NG-LATER", dueIn: TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromSeconds(2));

        var first = await _outbox.LeaseAsync(Store, 1, Lease, Ct);
        var rest = await _outbox.LeaseAsync(Store, 10, Lease, Ct);

        Assert.Equal("NG-1", Assert.Single(first).OrderId);
        Assert.Equal("NG-2", Assert.Single(rest).OrderId);
        Assert.NotEqual(Guid.Empty, first[0].LeaseId);
        Assert.NotEqual(first[0].LeaseId, rest[0].LeaseId);
        Assert.Empty(await _outbox.LeaseAsync("store-b", 10, Lease, Ct));
    }

    [Fact]
    public async Task LeaseAsync_LeaseExpired_LeasesTheMessageAgainWithANewLeaseId()
    {
        await AddAsync("NG-1");
        var leased = Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));

        _time.Advance(Lease - TimeSpan.FromTicks(1));
        Assert.Empty(await _outbox.LeaseAsync(Store, 10, Lease, Ct));
        _time.Advance(TimeSpan.FromTicks(1));
        var again = Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));

        Assert.Equal(leased.Id, again.Id);
        Assert.NotEqual(leased.LeaseId, again.LeaseId);
    }

    [Fact]
    public async Task RescheduleAndMarkFailed_StaleLeaseId_DoNothing()
    {
        await AddAsync("NG-1");
        var stale = Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));
        _time.Advance(Lease);
        var current = Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));

        await _outbox.RescheduleAsync(stale, _time.GetUtcNow() + TimeSpan.FromHours(1), "stale", Ct);
        await _outbox.MarkFailedAsync(stale, "stale", Ct);

        var status = await _outbox.GetStatusAsync(Store, Ct);
        Assert.Equal(1, status.Pending);
        Assert.Equal(0, status.Failed);

        // The current lease still holds: its reschedule counts.
        await _outbox.RescheduleAsync(current, _time.GetUtcNow() + TimeSpan.FromSeconds(5), "HTTP 500", Ct);
        _time.Advance(TimeSpan.FromSeconds(5));
        var retried = Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));
        Assert.Equal(1, retried.Attempts);
        Assert.Equal("HTTP 500", retried.LastError);
    }

    [Fact]
    public async Task RescheduleAsync_LaterDueTime_IsNotLeasedBeforeIt()
    {
        await AddAsync("NG-1");
        var leased = Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));

        await _outbox.RescheduleAsync(leased, _time.GetUtcNow() + TimeSpan.FromSeconds(10), "HTTP 503", Ct);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await _outbox.LeaseAsync(Store, 10, Lease, Ct));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));
    }

    [Fact]
    public async Task MarkSentAsync_LeasedMessages_AreForgotten()
    {
        await AddAsync("NG-1");
        await AddAsync("NG-2");
        var leased = await _outbox.LeaseAsync(Store, 10, Lease, Ct);

        await _outbox.MarkSentAsync([.. leased], Ct);
        _time.Advance(Lease);

        Assert.Empty(await _outbox.LeaseAsync(Store, 10, Lease, Ct));
        var status = await _outbox.GetStatusAsync(Store, Ct);
        Assert.Equal(0, status.Pending);
        Assert.Null(status.OldestPendingSince);
    }

    [Fact]
    public async Task MarkFailedAsync_ThenRedrive_IsPendingAgainDueNowWithAttemptsReset()
    {
        var added = await AddAsync("NG-1");
        var leased = Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));
        await _outbox.RescheduleAsync(leased, _time.GetUtcNow(), "HTTP 500", Ct);
        leased = Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));

        await _outbox.MarkFailedAsync(leased, "ParsingError", Ct);
        _time.Advance(Lease);

        Assert.Empty(await _outbox.LeaseAsync(Store, 10, Lease, Ct));
        var failed = await _outbox.GetStatusAsync(Store, Ct);
        Assert.Equal((0, 1), (failed.Pending, failed.Failed));
        var woken = _signal.Arm();

        Assert.Equal(1, await _outbox.RedriveFailedAsync(Store, Ct));

        Assert.True(woken.IsCompleted, "a re-drive wakes the worker");
        var redriven = Assert.Single(await _outbox.LeaseAsync(Store, 10, Lease, Ct));
        Assert.Equal(added.Id, redriven.Id);
        Assert.Equal(0, redriven.Attempts);
        Assert.Equal(_time.GetUtcNow(), redriven.DueAt);
        var status = await _outbox.GetStatusAsync(Store, Ct);
        Assert.Equal((1, 0, added.CreatedAt), (status.Pending, status.Failed, status.OldestPendingSince));
    }

    [Fact]
    public async Task AddAsync_Full_RefusesAtOnceWithoutBlocking()
    {
        await AddAsync("NG-1");
        await AddAsync("NG-2");
        await AddAsync("NG-3");

        var refused = await Assert.ThrowsAsync<OutboxRefusedException>(() => AddAsync("NG-4"));

        Assert.Contains("holds 3", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(3, (await _outbox.GetStatusAsync(Store, Ct)).Pending);
    }

    [Fact]
    public async Task AddAsync_CatalogChangesFillHalf_RefusesMoreOfThemButNotSales()
    {
        var outbox = new InMemoryClerkOutbox(_time, _signal, NullLogger<InMemoryClerkOutbox>.Instance, capacity: 4);
        async Task AddToAsync(string kind) => await outbox.AddAsync(new ClerkOutboxMessage
        {
            Id = Guid.NewGuid(),
            Store = Store,
            Kind = kind,
            Endpoint = kind == "sale" ? "log/sale" : "product/add",
            Body = "{}",
            CreatedAt = _time.GetUtcNow(),
            DueAt = _time.GetUtcNow(),
        }, Ct);
        await AddToAsync("product");
        await AddToAsync("product");

        var refused = await Assert.ThrowsAsync<OutboxRefusedException>(() => AddToAsync("product"));
        await AddToAsync("sale");
        await AddToAsync("sale");

        Assert.Contains("2 product messages", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(4, (await outbox.GetStatusAsync(Store, Ct)).Pending);
    }

    [Fact]
    public async Task AddAsync_Closed_RefusesUntilReopened()
    {
        _outbox.Close();

        await Assert.ThrowsAsync<OutboxRefusedException>(() => AddAsync("NG-1"));
        _outbox.Reopen();
        await AddAsync("NG-1");

        Assert.Equal(1, (await _outbox.GetStatusAsync(Store, Ct)).Pending);
    }
}
