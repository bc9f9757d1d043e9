using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.TestShared;

/// <summary>
/// What every <see cref="IClerkOutbox"/> promises (its XML docs), for any implementation: a test class derives from
/// this, makes its outbox over <see cref="Time"/> in <see cref="CreateOutboxAsync"/>, and inherits every test. Each
/// test works in a store of its own, so implementations over a shared database need no cleaning between tests.
/// </summary>
public abstract class OutboxContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Gets the clock the outbox under test reads.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Makes the outbox under test, reading <see cref="Time"/>.</summary>
    protected abstract ValueTask<IClerkOutbox> CreateOutboxAsync();

    [Fact]
    public async Task LeaseAsync_AddedMessage_ReturnsItAsAddedWithANewLease()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var added = Message(store, "ORDER-1");

        await outbox.AddAsync(added, TestContext.Current.CancellationToken);
        var leased = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, TestContext.Current.CancellationToken));

        Assert.Equal(added.Id, leased.Id);
        Assert.Equal(store, leased.Store);
        Assert.Equal("sale", leased.Kind);
        Assert.Equal("log/sale", leased.Endpoint);
        Assert.Equal(added.Body, leased.Body);
        Assert.Equal("ORDER-1", leased.OrderId);
        Assert.Equal(added.CreatedAt, leased.CreatedAt);
        Assert.Equal(0, leased.Attempts);
        Assert.Null(leased.LastError);
        Assert.NotEqual(Guid.Empty, leased.LeaseId);
    }

    [Fact]
    public async Task LeaseAsync_MessageWithoutOrder_KeepsTheOrderEmpty()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();

        await outbox.AddAsync(Message(store, orderId: null), TestContext.Current.CancellationToken);
        var leased = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, TestContext.Current.CancellationToken));

        Assert.Null(leased.OrderId);
    }

    [Fact]
    public async Task LeaseAsync_MessageDueLater_IsLeasedOnlyOnceDueAndAfterOneDueNow()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var later = Message(store, orderId: null);
        later = new ClerkOutboxMessage
        {
            Id = later.Id, Store = store, Kind = "product", Endpoint = "product/add", Body = """{"products":[1]}""",
            CreatedAt = later.CreatedAt, DueAt = later.CreatedAt + TimeSpan.FromSeconds(2),
        };
        await outbox.AddAsync(later, ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        var now = await AddAsync(outbox, store, "NOW");

        var early = await outbox.LeaseAsync(store, 10, Lease, ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        var due = await outbox.LeaseAsync(store, 10, Lease, ct);

        Assert.Equal(now.Id, Assert.Single(early).Id);
        var leased = Assert.Single(due);
        Assert.Equal(later.Id, leased.Id);
        Assert.Equal(later.DueAt, leased.DueAt);
    }

    [Fact]
    public async Task LeaseAsync_MoreDueThanMaxCount_ReturnsTheEarliestDueFirst()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var first = await AddAsync(outbox, store, "A");
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await AddAsync(outbox, store, "B");
        Time.Advance(TimeSpan.FromSeconds(1));
        var third = await AddAsync(outbox, store, "C");

        var leased = await outbox.LeaseAsync(store, 2, Lease, ct);
        var rest = await outbox.LeaseAsync(store, 2, Lease, ct);

        Assert.Equal([first.Id, second.Id], leased.Select(m => m.Id));
        Assert.Equal([third.Id], rest.Select(m => m.Id));
    }

    [Fact]
    public async Task LeaseAsync_RescheduledMessages_ComeInDueOrderNotInAddedOrder()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, store, "A");
        await AddAsync(outbox, store, "B");
        await AddAsync(outbox, store, "C");
        var leased = (await outbox.LeaseAsync(store, 3, Lease, ct)).ToDictionary(m => m.OrderId!);
        var now = Time.GetUtcNow();
        await outbox.RescheduleAsync(leased["A"], now.AddSeconds(30), "500", ct);
        await outbox.RescheduleAsync(leased["B"], now.AddSeconds(10), "500", ct);
        await outbox.RescheduleAsync(leased["C"], now.AddSeconds(20), "500", ct);
        Time.Advance(TimeSpan.FromMinutes(1));

        var again = await outbox.LeaseAsync(store, 3, Lease, ct);

        Assert.Equal(["B", "C", "A"], again.Select(m => m.OrderId));
    }

    [Fact]
    public async Task LeaseAsync_MessageLeasedByAnother_IsNotLeasedAgainWhileTheLeaseLasts()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, store, "A");
        Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        var second = await outbox.LeaseAsync(store, 10, Lease, ct);

        Assert.Empty(second);
    }

    [Fact]
    public async Task LeaseAsync_LeaseExpired_LeasesTheMessageAgainUnderANewLease()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, store, "A");
        var first = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.LeaseId, second.LeaseId);
    }

    [Fact]
    public async Task LeaseAsync_ConcurrentCallers_NeverGetTheSameMessage()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 20; i++)
        {
            await AddAsync(outbox, store, $"O-{i}");
        }

        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await outbox.LeaseAsync(store, 5, Lease, ct), ct)));
        var ids = leases.SelectMany(l => l).Select(m => m.Id).ToList();
        var rest = await outbox.LeaseAsync(store, 100, Lease, ct);

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(20, ids.Count + rest.Count);
    }

    [Fact]
    public async Task RescheduleAsync_Leased_CountsAnAttemptKeepsTheErrorAndWaitsUntilDue()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, store, "A");
        var leased = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        await outbox.RescheduleAsync(leased, Time.GetUtcNow().AddMinutes(5), "HTTP 503", ct);
        var early = await outbox.LeaseAsync(store, 10, Lease, ct);
        Time.Advance(TimeSpan.FromMinutes(5));
        var due = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        Assert.Empty(early);
        Assert.Equal(1, due.Attempts);
        Assert.Equal("HTTP 503", due.LastError);
        Assert.Equal(Time.GetUtcNow(), due.DueAt);
    }

    [Fact]
    public async Task RescheduleAsync_StaleLease_DoesNothing()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, store, "A");
        var stale = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var current = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        await outbox.RescheduleAsync(stale, Time.GetUtcNow(), "late", ct);

        // Still the current holder's: not free for anyone else, and its holder can still mark it.
        Assert.Empty(await outbox.LeaseAsync(store, 10, Lease, ct));
        await outbox.RescheduleAsync(current, Time.GetUtcNow(), "current", ct);
        var again = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));
        Assert.Equal(1, again.Attempts);
        Assert.Equal("current", again.LastError);
    }

    [Fact]
    public async Task MarkFailedAsync_StaleLease_DoesNothing()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, store, "A");
        var stale = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        await outbox.MarkFailedAsync(stale, "late", ct);
        var status = await outbox.GetStatusAsync(store, ct);

        Assert.Equal(0, status.Failed);
        Assert.Equal(1, status.Pending);
    }

    [Fact]
    public async Task MarkFailedAsync_Leased_KeepsItFailedAndNoLongerLeasable()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, store, "A");
        var leased = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        await outbox.MarkFailedAsync(leased, "LogicalError", ct);
        Time.Advance(TimeSpan.FromDays(1));
        var status = await outbox.GetStatusAsync(store, ct);

        Assert.Empty(await outbox.LeaseAsync(store, 10, Lease, ct));
        Assert.Equal(1, status.Failed);
        Assert.Equal(0, status.Pending);
        Assert.Null(status.OldestPendingSince);
    }

    [Fact]
    public async Task MarkSentAsync_Batch_MarksEveryMessageSentSoNoneIsLeasedAgain()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            await AddAsync(outbox, store, $"O-{i}");
        }

        var leased = await outbox.LeaseAsync(store, 10, Lease, ct);
        await outbox.MarkSentAsync(leased.ToList(), ct);
        Time.Advance(Lease + TimeSpan.FromMinutes(1));
        var status = await outbox.GetStatusAsync(store, ct);

        Assert.Equal(3, leased.Count);
        Assert.Empty(await outbox.LeaseAsync(store, 10, Lease, ct));
        Assert.Equal(0, status.Pending);
        Assert.Equal(0, status.Failed);
    }

    [Fact]
    public async Task MarkSentAsync_EmptyBatch_DoesNothing()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, store, "A");

        await outbox.MarkSentAsync([], ct);

        Assert.Equal(1, (await outbox.GetStatusAsync(store, ct)).Pending);
    }

    [Fact]
    public async Task RedriveFailedAsync_FailedMessages_MakesThemPendingDueNowWithAttemptsReset()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, store, "A");
        await AddAsync(outbox, store, "B");
        await AddAsync(outbox, store, "C");
        var leased = await outbox.LeaseAsync(store, 10, Lease, ct);
        await outbox.RescheduleAsync(leased[0], Time.GetUtcNow(), "503", ct);
        await outbox.MarkFailedAsync(leased[1], "given up", ct);
        await outbox.MarkFailedAsync(leased[2], "given up", ct);
        var retried = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));
        await outbox.MarkFailedAsync(retried, "given up", ct);

        var redriven = await outbox.RedriveFailedAsync(store, ct);
        var status = await outbox.GetStatusAsync(store, ct);
        var again = await outbox.LeaseAsync(store, 10, Lease, ct);

        Assert.Equal(3, redriven);
        Assert.Equal(0, status.Failed);
        Assert.Equal(3, status.Pending);
        Assert.Equal(3, again.Count);
        Assert.All(again, m => Assert.Equal(0, m.Attempts));
        Assert.Equal(0, await outbox.RedriveFailedAsync(store, ct));
    }

    [Fact]
    public async Task GetStatusAsync_CountsPendingAndFailedAndTheOldestPendingCreation()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var oldest = await AddAsync(outbox, store, "A");
        Time.Advance(TimeSpan.FromMinutes(1));
        await AddAsync(outbox, store, "B");
        await AddAsync(outbox, store, "C");
        var failing = (await outbox.LeaseAsync(store, 10, Lease, ct)).Single(m => m.OrderId == "C");
        await outbox.MarkFailedAsync(failing, "given up", ct);

        var status = await outbox.GetStatusAsync(store, ct);

        Assert.Equal(2, status.Pending);
        Assert.Equal(1, status.Failed);
        Assert.Equal(oldest.CreatedAt, status.OldestPendingSince);
    }

    [Fact]
    public async Task GetStatusAsync_EmptyStore_CountsNothing()
    {
        var outbox = await CreateOutboxAsync();

        var status = await outbox.GetStatusAsync(NewStore(), TestContext.Current.CancellationToken);

        Assert.Equal(0, status.Pending);
        Assert.Equal(0, status.Failed);
        Assert.Null(status.OldestPendingSince);
    }

    [Fact]
    public async Task Stores_OneOutbox_KeepEachStoresMessagesApart()
    {
        var outbox = await CreateOutboxAsync();
        var mine = NewStore();
        var theirs = NewStore();
        var ct = TestContext.Current.CancellationToken;
        await AddAsync(outbox, mine, "MINE");
        await AddAsync(outbox, theirs, "THEIRS-1");
        await AddAsync(outbox, theirs, "THEIRS-2");
        var theirLease = await outbox.LeaseAsync(theirs, 1, Lease, ct);
        await outbox.MarkFailedAsync(theirLease[0], "given up", ct);

        var leased = await outbox.LeaseAsync(mine, 10, Lease, ct);
        var redriven = await outbox.RedriveFailedAsync(mine, ct);
        var myStatus = await outbox.GetStatusAsync(mine, ct);
        var theirStatus = await outbox.GetStatusAsync(theirs, ct);

        Assert.Equal(["MINE"], leased.Select(m => m.OrderId));
        Assert.Equal(0, redriven);
        Assert.Equal((1, 0), (myStatus.Pending, myStatus.Failed));
        Assert.Equal((1, 1), (theirStatus.Pending, theirStatus.Failed));
    }

    [Fact]
    public async Task ForgetAsync_PendingSaleOfThePerson_IsRedactedButStillSent()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var bob = NewEmail("bob");
        await outbox.AddAsync(Sale(store, "ORDER-1", email: bob, customer: "C-" + bob, visitor: "Visitor1"), ct);

        var erasure = await outbox.ForgetAsync(ClerkPrivacySubject.ByEmail("  " + bob.ToUpperInvariant() + " "), ct);
        var leased = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        Assert.Equal((0, 1, 0), (erasure.Deleted, erasure.Redacted, erasure.InFlight));
        using var body = JsonDocument.Parse(leased.Body);
        Assert.False(body.RootElement.TryGetProperty("email", out _));
        Assert.False(body.RootElement.TryGetProperty("customer", out _));
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("visitor").ValueKind);
        Assert.Equal("ORDER-1", body.RootElement.GetProperty("sale").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("products").GetArrayLength());
        Assert.Equal(store, body.RootElement.GetProperty("key").GetString());
    }

    [Fact]
    public async Task ForgetAsync_OtherPeopleWhoseValuesContainThePersons_AreUntouched()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var bob = NewEmail("bob");
        var others = new[]
        {
            Sale(store, "JIMBOB", email: "jim" + bob, customer: "C-1" + bob, visitor: null),
            Sale(store, "LONGER", email: bob + ".au", customer: null, visitor: null),
            Sale(store, "NAMED", email: "other@x.com", customer: null, visitor: null, extra: $$""","note":"{{bob}}" """),
        };
        foreach (var other in others)
        {
            await outbox.AddAsync(other, ct);
        }

        var byEmail = await outbox.ForgetAsync(ClerkPrivacySubject.ByEmail(bob), ct);
        var byCustomer = await outbox.ForgetAsync(ClerkPrivacySubject.ByCustomer("C-" + bob), ct);
        var leased = await outbox.LeaseAsync(store, 10, Lease, ct);

        Assert.Equal((0, 0), (byEmail.Deleted + byEmail.Redacted, byCustomer.Deleted + byCustomer.Redacted));
        Assert.Equal(others.Select(m => m.Body).Order(), leased.Select(m => m.Body).Order());
    }

    [Fact]
    public async Task ForgetAsync_ByCustomerOrVisitor_MatchesExactlyThatValue()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var id = Guid.NewGuid().ToString("N");
        await outbox.AddAsync(Sale(store, "BY-CUSTOMER", email: null, customer: "C-" + id, visitor: null), ct);
        await outbox.AddAsync(Sale(store, "BY-VISITOR", email: null, customer: null, visitor: "V" + id[..20]), ct);
        await outbox.AddAsync(Sale(store, "OTHER-CASE", email: null, customer: "c-" + id, visitor: "v" + id[..20]), ct);

        var byCustomer = await outbox.ForgetAsync(ClerkPrivacySubject.ByCustomer("C-" + id), ct);
        var byVisitor = await outbox.ForgetAsync(ClerkPrivacySubject.ByVisitor("V" + id[..20]), ct);
        var leased = await outbox.LeaseAsync(store, 10, Lease, ct);

        Assert.Equal((1, 1), (byCustomer.Redacted, byVisitor.Redacted));
        var untouched = Assert.Single(leased, m => m.OrderId == "OTHER-CASE");
        Assert.Contains("c-" + id, untouched.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgetAsync_EmailEscapedInTheBody_IsStillFound()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var local = "bob" + Guid.NewGuid().ToString("N")[..8];
        // System.Text.Json's default encoder writes '+' as \u002B.
        await outbox.AddAsync(Sale(store, "PLUS", email: null, customer: null, visitor: null, extra: $$""","email":"{{local}}\u002Bshop@x.com" """), ct);

        var erasure = await outbox.ForgetAsync(ClerkPrivacySubject.ByEmail(local + "+shop@x.com"), ct);

        Assert.Equal(1, erasure.Redacted);
    }

    [Fact]
    public async Task ForgetAsync_LeasedMessage_IsCountedInFlightAndItsRetrySendsTheRedactedBody()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var bob = NewEmail("bob");
        await outbox.AddAsync(Sale(store, "ORDER-1", email: bob, customer: null, visitor: null), ct);
        var first = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        var erasure = await outbox.ForgetAsync(ClerkPrivacySubject.ByEmail(bob), ct);
        await outbox.RescheduleAsync(first, Time.GetUtcNow(), "Clerk did not answer", ct);
        var retry = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        Assert.Equal((1, 1), (erasure.Redacted, erasure.InFlight));
        Assert.Equal(1, retry.Attempts);
        Assert.DoesNotContain(bob, retry.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ForgetAsync_SentAndFailedMessages_SentAreGoneFailedRedacted()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var bob = NewEmail("bob");
        await outbox.AddAsync(Sale(store, "SENT", email: bob, customer: null, visitor: null), ct);
        await outbox.MarkSentAsync(await outbox.LeaseAsync(store, 10, Lease, ct), ct);
        await outbox.AddAsync(Sale(store, "FAILED", email: bob, customer: null, visitor: null), ct);
        await outbox.MarkFailedAsync(Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct)), "refused", ct);
        var keptSent = (await outbox.FindAsync(ClerkPrivacySubject.ByEmail(bob), ct)).Count(m => m.State == ClerkOutboxMessageState.Sent);

        var erasure = await outbox.ForgetAsync(ClerkPrivacySubject.ByEmail(bob), ct);
        var again = await outbox.ForgetAsync(ClerkPrivacySubject.ByEmail(bob), ct);
        await outbox.RedriveFailedAsync(store, ct);
        var redriven = Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct));

        Assert.Equal((keptSent, 1, 0), (erasure.Deleted, erasure.Redacted, erasure.InFlight));
        Assert.Equal((0, 0), (again.Deleted, again.Redacted));
        Assert.Empty(await outbox.FindAsync(ClerkPrivacySubject.ByEmail(bob), ct));
        Assert.Equal("FAILED", redriven.OrderId);
        Assert.DoesNotContain(bob, redriven.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FindAsync_MessagesOfThePerson_ReturnsThemInEveryStoreWithTheirState()
    {
        var outbox = await CreateOutboxAsync();
        var store = NewStore();
        var other = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var bob = NewEmail("bob");
        await outbox.AddAsync(Sale(store, "FAILED", email: bob, customer: null, visitor: null), ct);
        await outbox.MarkFailedAsync(Assert.Single(await outbox.LeaseAsync(store, 10, Lease, ct)), "refused", ct);
        await outbox.AddAsync(Sale(other, "PENDING", email: bob, customer: null, visitor: null), ct);
        await outbox.AddAsync(Sale(other, "JIMBOB", email: "jim" + bob, customer: null, visitor: null), ct);

        var found = await outbox.FindAsync(ClerkPrivacySubject.ByEmail(bob), ct);

        Assert.Equal(
            [("FAILED", store, ClerkOutboxMessageState.Failed), ("PENDING", other, ClerkOutboxMessageState.Pending)],
            found.Select(m => (m.OrderId, m.Store, m.State)).Order());
        Assert.Equal(2, (await outbox.LeaseAsync(other, 10, Lease, ct)).Count);
    }

    /// <summary>A store of the test's own.</summary>
    protected static string NewStore() => "store-" + Guid.NewGuid().ToString("N")[..16];

    private async Task<ClerkOutboxMessage> AddAsync(IClerkOutbox outbox, string store, string orderId)
    {
        var message = Message(store, orderId);
        await outbox.AddAsync(message, TestContext.Current.CancellationToken);
        return message;
    }

    private static string NewEmail(string name) => $"{name}.{Guid.NewGuid():N}@x.com";

    private ClerkOutboxMessage Sale(string store, string orderId, string? email, string? customer, string? visitor, string extra = "")
    {
        var person = (email is null ? "" : $",\"email\":\"{email}\"")
            + (customer is null ? "" : $",\"customer\":\"{customer}\"")
            + (visitor is null ? ",\"visitor\":null" : $",\"visitor\":\"{visitor}\"");
        var message = Message(store, orderId);
        return new ClerkOutboxMessage
        {
            Id = message.Id,
            Store = store,
            Kind = message.Kind,
            Endpoint = message.Endpoint,
            Body = message.Body[..^1] + person + extra.Trim() + "}",
            OrderId = orderId,
            CreatedAt = message.CreatedAt,
            DueAt = message.DueAt,
        };
    }

    private ClerkOutboxMessage Message(string store, string? orderId) => new()
    {
        Id = Guid.NewGuid(),
        Store = store,
        Kind = "sale",
        Endpoint = "log/sale",
        Body = $$"""{"key":"{{store}}","sale":"{{orderId}}","products":[{"id":101,"quantity":1,"price":499.95}]}""",
        OrderId = orderId,
        CreatedAt = Time.GetUtcNow(),
        DueAt = Time.GetUtcNow(),
    };
}
