using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ClerkPrivacy = Clerk.AspNetCore.Privacy.ClerkPrivacy;

namespace Clerk.AspNetCore.Tests.Privacy;

/// <summary>
/// <see cref="IClerkPrivacy"/> across several stores (each answered by a recording handler by its public key) and the
/// in-memory outbox: who is asked with which keys, what a failing store does to the others, what is done locally,
/// and the audit line.
/// </summary>
public sealed class ClerkPrivacyTests : IDisposable
{
    private const string Bob = "bob@x.com";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingClerk _clerk = new();
    private ServiceProvider? _services;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _services?.Dispose();

    [Fact]
    public async Task ForgetAsync_ByEmail_CallsPrivacyForgetInEveryStoreWithThatStoresKeys()
    {
        var privacy = Start(("en", "pk-en", "sk-en"), ("de", "pk-de", "sk-de"));

        var result = await privacy.ForgetAsync(ClerkPrivacySubject.ByEmail(Bob), Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(["de", "en"], result.Stores.Select(s => s.Store));
        Assert.All(result.Stores, s => Assert.Equal(ClerkPrivacyOutcome.Accepted, s.Outcome));
        var calls = _clerk.Calls.Where(c => c.Endpoint == "privacy/forget").ToList();
        Assert.Equal(
            [("pk-de", "sk-de", Bob), ("pk-en", "sk-en", Bob)],
            calls.Select(c => (c.Text("key"), c.Text("private_key"), c.Text("email"))).Order());
    }

    [Fact]
    public async Task ForgetAsync_OutboxMessages_SentNoneKeptPendingRedactedOthersUntouched()
    {
        var privacy = Start(("en", "pk-en", "sk-en"));
        var outbox = _services!.GetRequiredService<IClerkOutbox>();
        await outbox.AddAsync(Sale("pk-en", "BOB-1", Bob), Ct);
        await outbox.AddAsync(Sale("pk-en", "JIMBOB-1", "jimbob@x.com"), Ct);
        await outbox.AddAsync(Sale("pk-elsewhere", "BOB-2", "  BOB@X.COM"), Ct);

        var result = await privacy.ForgetAsync(ClerkPrivacySubject.ByEmail(Bob), Ct);

        Assert.Equal((0, 2, 0), (result.Outbox!.Deleted, result.Outbox.Redacted, result.Outbox.InFlight));
        var bodies = (await outbox.LeaseAsync("pk-en", 10, TimeSpan.FromMinutes(1), Ct))
            .Concat(await outbox.LeaseAsync("pk-elsewhere", 10, TimeSpan.FromMinutes(1), Ct))
            .ToDictionary(m => m.OrderId!, m => m.Body);
        Assert.DoesNotContain("bob@x.com", bodies["BOB-1"], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("bob@x.com", bodies["BOB-2"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"email\":\"jimbob@x.com\"", bodies["JIMBOB-1"], StringComparison.Ordinal);
        Assert.Contains("\"sale\":\"BOB-1\"", bodies["BOB-1"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgetAsync_WhenClerkIsAsked_TheOutboxNoLongerHoldsThePerson()
    {
        var privacy = Start(("en", "pk-en", "sk-en"));
        var outbox = _services!.GetRequiredService<IClerkOutbox>();
        await outbox.AddAsync(Sale("pk-en", "BOB-1", Bob), Ct);
        int? heldWhenAsked = null;
        _clerk.OnCall = (_, _) => heldWhenAsked = outbox.FindAsync(ClerkPrivacySubject.ByEmail(Bob)).AsTask().Result.Count;

        await privacy.ForgetAsync(ClerkPrivacySubject.ByEmail(Bob), Ct);

        Assert.Equal(0, heldWhenAsked);
    }

    [Fact]
    public async Task ForgetAsync_OneStoreRejectsAndOneIsUnreachable_TheOthersAndTheOutboxAreStillForgotten()
    {
        var privacy = Start(("a", "pk-a", "sk-a"), ("b", "pk-b", "sk-b"), ("c", "pk-c", "sk-c"));
        _clerk.Answer("pk-b", """{"status":"error","type":"AuthenticationError","message":"Invalid private key"}""");
        _clerk.Unreachable("pk-c");
        await _services!.GetRequiredService<IClerkOutbox>().AddAsync(Sale("pk-a", "BOB-1", Bob), Ct);

        var result = await privacy.ForgetAsync(ClerkPrivacySubject.ByEmail(Bob), Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(
            [("a", ClerkPrivacyOutcome.Accepted), ("b", ClerkPrivacyOutcome.Rejected), ("c", ClerkPrivacyOutcome.Unreachable)],
            result.Stores.Select(s => (s.Store, s.Outcome)));
        Assert.Contains("Invalid private key", result.Stores[1].Error, StringComparison.Ordinal);
        Assert.NotNull(result.Stores[2].Error);
        Assert.Equal(1, result.Outbox!.Redacted);
        Assert.Equal(3, _clerk.Calls.Count(c => c.Endpoint == "privacy/forget"));
        var warnings = Privacy(102);
        Assert.Equal(2, warnings.Count);
        Assert.DoesNotContain(warnings, w => w.Message.Contains("Invalid private key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForgetAsync_StoreWithoutPrivateKey_IsReportedAndNotCalled()
    {
        var privacy = Start(("en", "pk-en", "sk-en"), ("nokey", "pk-nokey", null));

        var result = await privacy.ForgetAsync(ClerkPrivacySubject.ByCustomer("C-42"), Ct);

        Assert.False(result.Succeeded);
        var noKey = Assert.Single(result.Stores, s => s.Store == "nokey");
        Assert.Equal(ClerkPrivacyOutcome.NoPrivateKey, noKey.Outcome);
        Assert.Contains("Clerk:Stores:nokey:PrivateKey", noKey.Error, StringComparison.Ordinal);
        Assert.Equal(["pk-en"], _clerk.Calls.Select(c => c.Text("key")));
        Assert.Equal("C-42", _clerk.Calls[0].Text("customer"));
    }

    [Fact]
    public async Task ForgetAsync_AuditLine_SaysTheKindStoresAndCountsButNeverThePersonOrAKey()
    {
        var privacy = Start(("en", "pk-en", "sk-en"), ("de", "pk-de", "sk-de"));
        _clerk.Answer("pk-de", """{"status":"error","type":"ParsingError","message":"Invalid email bob@x.com"}""");
        await _services!.GetRequiredService<IClerkOutbox>().AddAsync(Sale("pk-en", "BOB-1", Bob), Ct);

        await privacy.ForgetAsync(ClerkPrivacySubject.ByEmail(Bob), Ct);

        var audit = Assert.Single(Privacy(100));
        Assert.Equal(LogLevel.Information, audit.Level);
        Assert.Contains("given by Email", audit.Message, StringComparison.Ordinal);
        Assert.Contains("de: Rejected, en: Accepted", audit.Message, StringComparison.Ordinal);
        Assert.Contains("redacted 1", audit.Message, StringComparison.Ordinal);
        Assert.All(_services!.GetFakeLogCollector().GetSnapshot(), r =>
        {
            var text = r.Message + string.Join(",", r.StructuredState?.Select(p => p.Value) ?? []);
            Assert.DoesNotContain("bob", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("pk-", text, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ForgetAsync_MessageBeingSent_IsRedactedButTheResultAsksToCallAgain()
    {
        var privacy = Start(("en", "pk-en", "sk-en"));
        var outbox = _services!.GetRequiredService<IClerkOutbox>();
        await outbox.AddAsync(Sale("pk-en", "BOB-1", Bob), Ct);
        await outbox.LeaseAsync("pk-en", 10, TimeSpan.FromMinutes(1), Ct);

        var result = await privacy.ForgetAsync(ClerkPrivacySubject.ByEmail(Bob), Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Outbox!.InFlight);
        Assert.Equal(LogLevel.Warning, Assert.Single(Privacy(104)).Level);
    }

    [Fact]
    public async Task ForgetAsync_OutboxFails_ClerkIsStillAskedAndTheResultSaysWhy()
    {
        var privacy = Start([("en", "pk-en", "sk-en")], new BrokenOutbox());

        var result = await privacy.ForgetAsync(ClerkPrivacySubject.ByVisitor("Visitor1"), Ct);

        Assert.False(result.Succeeded);
        Assert.Null(result.Outbox);
        Assert.Contains("database is down", result.OutboxError, StringComparison.Ordinal);
        Assert.Equal("Visitor1", Assert.Single(_clerk.Calls).Text("visitor"));
        var error = Assert.Single(Privacy(103));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_EveryStoresAnswerAndTheLocalMessages_ComeBackWithoutKeys()
    {
        var privacy = Start(("en", "pk-en", "sk-en"), ("de", "pk-de", "sk-de"));
        _clerk.Answer("pk-en", """{"status":"ok","sales":[{"id":"EN-1"}]}""");
        _clerk.Answer("pk-de", """{"status":"ok","sales":[]}""");
        var outbox = _services!.GetRequiredService<IClerkOutbox>();
        await outbox.AddAsync(Sale("pk-en", "BOB-1", Bob), Ct);
        await outbox.AddAsync(Sale("pk-en", "JIMBOB-1", "jimbob@x.com"), Ct);

        var export = await privacy.ExportAsync(ClerkPrivacySubject.ByEmail(Bob), Ct);

        Assert.True(export.Succeeded);
        Assert.Equal(["privacy/info", "privacy/info"], _clerk.Calls.Select(c => c.Endpoint));
        var en = Assert.Single(export.Stores, s => s.Store == "en");
        Assert.Equal("EN-1", en.Info!.Value.GetProperty("sales")[0].GetProperty("id").GetString());
        Assert.False(en.Info.Value.TryGetProperty("status", out _));
        var message = Assert.Single(export.Messages!);
        Assert.Equal(("en", "sale", "BOB-1", ClerkOutboxMessageState.Pending), (message.Store, message.Kind, message.OrderId, message.State));
        Assert.Equal(Bob, message.Body.GetProperty("email").GetString());
        Assert.False(message.Body.TryGetProperty("key", out _));
        Assert.Equal(1, (await outbox.GetStatusAsync("pk-en", Ct)).Pending - 1);
        var audit = Assert.Single(Privacy(101));
        Assert.Contains("1 outbox messages", audit.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", audit.Message, StringComparison.OrdinalIgnoreCase);
    }

    private IClerkPrivacy Start(params (string Name, string PublicKey, string? PrivateKey)[] stores) => Start(stores, null);

    private IClerkPrivacy Start((string Name, string PublicKey, string? PrivateKey)[] stores, IClerkOutbox? outbox)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(_time);
        if (outbox is not null)
        {
            services.AddSingleton(outbox);
        }

        services.AddClerk(o =>
        {
            foreach (var (name, publicKey, privateKey) in stores)
            {
                o.Stores[name] = new ClerkStoreOptions { PublicKey = publicKey, PrivateKey = privateKey };
            }

            o.DefaultStore = stores[0].Name;
        });
        services.AddHttpClient(ClerkOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _clerk);
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<IClerkPrivacy>();
    }

    private List<FakeLogRecord> Privacy(int eventId) =>
        [.. _services!.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == eventId && r.Category == typeof(ClerkPrivacy).FullName)];

    private ClerkOutboxMessage Sale(string store, string orderId, string email) => new()
    {
        Id = Guid.NewGuid(),
        Store = store,
        Kind = "sale",
        Endpoint = "log/sale",
        Body = $$"""{"key":"{{store}}","sale":"{{orderId}}","products":[{"id":101,"quantity":1,"price":10}],"visitor":"Visitor1","email":"{{email}}","customer":"C-1"}""",
        OrderId = orderId,
        CreatedAt = _time.GetUtcNow(),
    };

    /// <summary>Clerk's API for every store: records each call, and answers it by the call's public key.</summary>
    private sealed class RecordingClerk : HttpMessageHandler
    {
        private readonly Dictionary<string, string?> _answers = [];
        private readonly List<Call> _calls = [];

        public Action<string, JsonElement>? OnCall { get; set; }

        public IReadOnlyList<Call> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public void Answer(string publicKey, string answer) => _answers[publicKey] = answer;

        public void Unreachable(string publicKey) => _answers[publicKey] = null;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var endpoint = path[(path.IndexOf("/v2/", StringComparison.Ordinal) + 4)..];
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
            lock (_calls)
            {
                _calls.Add(new Call(endpoint, body));
            }

            OnCall?.Invoke(endpoint, body);
            var key = body.GetProperty("key").GetString()!;
            if (_answers.TryGetValue(key, out var answer) && answer is null)
            {
                throw new HttpRequestException("No such host is known. (api.clerk.io:443)");
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(answer ?? """{"status":"ok"}""", Encoding.UTF8, "application/json"),
            };
        }
    }

    private sealed record Call(string Endpoint, JsonElement Body)
    {
        public string? Text(string name) => Body.TryGetProperty(name, out var value) ? value.GetString() : null;
    }

    /// <summary>An outbox whose database is down.</summary>
    private sealed class BrokenOutbox : IClerkOutbox
    {
        private static readonly InvalidOperationException Down = new("The database is down (Password=hunter2).");

        public ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default) => throw Down;

        public ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(string store, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default) => throw Down;

        public ValueTask MarkSentAsync(IReadOnlyCollection<ClerkOutboxMessage> messages, CancellationToken cancellationToken = default) => throw Down;

        public ValueTask RescheduleAsync(ClerkOutboxMessage message, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) => throw Down;

        public ValueTask MarkFailedAsync(ClerkOutboxMessage message, string error, CancellationToken cancellationToken = default) => throw Down;

        public ValueTask<int> RedriveFailedAsync(string store, CancellationToken cancellationToken = default) => throw Down;

        public ValueTask<ClerkOutboxStatus> GetStatusAsync(string store, CancellationToken cancellationToken = default) => throw Down;

        public ValueTask<ClerkOutboxErasure> ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) => throw Down;

        public ValueTask<IReadOnlyList<ClerkOutboxMessage>> FindAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) => throw Down;
    }
}
