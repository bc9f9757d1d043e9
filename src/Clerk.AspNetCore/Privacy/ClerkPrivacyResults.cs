using System.Text.Json;

namespace Clerk.AspNetCore;

/// <summary>What one Clerk store answered to a privacy call.</summary>
/// <param name="store">The store's name (<see cref="ClerkStore.Name"/>).</param>
/// <param name="outcome">What became of the call.</param>
/// <param name="error">Why it did not succeed, for the operator (it may quote Clerk's message); <see langword="null"/> when accepted.</param>
/// <param name="info">For an export, Clerk's <c>privacy/info</c> answer (without its <c>status</c>); otherwise <see langword="null"/>.</param>
public sealed class ClerkStorePrivacyResult(string store, ClerkPrivacyOutcome outcome, string? error = null, JsonElement? info = null)
{
    /// <summary>Gets the store's name.</summary>
    public string Store { get; } = store;

    /// <summary>Gets what became of the call.</summary>
    public ClerkPrivacyOutcome Outcome { get; } = outcome;

    /// <summary>Gets why it did not succeed; <see langword="null"/> when Clerk accepted it.</summary>
    public string? Error { get; } = error;

    /// <summary>Gets Clerk's <c>privacy/info</c> answer, for an export that Clerk accepted.</summary>
    public JsonElement? Info { get; } = info;

    /// <summary>Gets whether Clerk accepted the call.</summary>
    public bool Succeeded => Outcome == ClerkPrivacyOutcome.Accepted;
}

/// <summary>The result of <see cref="IClerkPrivacy.ForgetAsync"/>.</summary>
/// <param name="subjectKind">How the person was given.</param>
/// <param name="stores">Each configured store's answer to <c>privacy/forget</c>, by name, in configuration order.</param>
/// <param name="outbox">What the outbox did; <see langword="null"/> when it failed (see <paramref name="outboxError"/>).</param>
/// <param name="outboxError">Why the outbox failed, if it did.</param>
public sealed class ClerkErasureResult(
    ClerkPrivacySubjectKind subjectKind, IReadOnlyList<ClerkStorePrivacyResult> stores, ClerkOutboxErasure? outbox, string? outboxError = null)
{
    /// <summary>Gets how the person was given (e-mail, customer or visitor).</summary>
    public ClerkPrivacySubjectKind SubjectKind { get; } = subjectKind;

    /// <summary>Gets each configured store's answer, by name.</summary>
    public IReadOnlyList<ClerkStorePrivacyResult> Stores { get; } = stores;

    /// <summary>Gets what the outbox deleted and redacted; <see langword="null"/> when it failed.</summary>
    public ClerkOutboxErasure? Outbox { get; } = outbox;

    /// <summary>Gets why the outbox failed, if it did.</summary>
    public string? OutboxError { get; } = outboxError;

    /// <summary>
    /// Gets whether the person is forgotten everywhere: every store accepted (a store without a private key counts as
    /// not), the outbox was erased, and none of the person's messages was being sent meanwhile. Otherwise call again
    /// later (after the outbox lease, when <see cref="ClerkOutboxErasure.InFlight"/> is the reason).
    /// </summary>
    public bool Succeeded => Outbox is { InFlight: 0 } && Stores.All(s => s.Succeeded);
}

/// <summary>The result of <see cref="IClerkPrivacy.ExportAsync"/>.</summary>
/// <param name="subjectKind">How the person was given.</param>
/// <param name="stores">Each configured store's <c>privacy/info</c> answer, by name, in configuration order.</param>
/// <param name="messages">The outbox messages that mention the person; <see langword="null"/> when the outbox failed.</param>
/// <param name="outboxError">Why the outbox failed, if it did.</param>
public sealed class ClerkPrivacyExport(
    ClerkPrivacySubjectKind subjectKind, IReadOnlyList<ClerkStorePrivacyResult> stores, IReadOnlyList<ClerkPrivacyMessage>? messages, string? outboxError = null)
{
    /// <summary>Gets how the person was given (e-mail, customer or visitor).</summary>
    public ClerkPrivacySubjectKind SubjectKind { get; } = subjectKind;

    /// <summary>Gets each configured store's answer, with Clerk's data in <see cref="ClerkStorePrivacyResult.Info"/>.</summary>
    public IReadOnlyList<ClerkStorePrivacyResult> Stores { get; } = stores;

    /// <summary>Gets the package's own data about the person: the outbox messages that mention them; <see langword="null"/> when the outbox failed.</summary>
    public IReadOnlyList<ClerkPrivacyMessage>? Messages { get; } = messages;

    /// <summary>Gets why the outbox failed, if it did.</summary>
    public string? OutboxError { get; } = outboxError;

    /// <summary>Gets whether the export is complete: every store answered and the outbox was read.</summary>
    public bool Succeeded => Messages is not null && Stores.All(s => s.Succeeded);
}

/// <summary>An outbox message that mentions the person, as an export shows it: without the store's keys.</summary>
/// <param name="id">The message's ID.</param>
/// <param name="store">The store's name; <see langword="null"/> when the message belongs to a store no longer configured.</param>
/// <param name="kind">What it is: <c>sale</c>, <c>return</c> or <c>product</c>.</param>
/// <param name="endpoint">Clerk's endpoint, such as <c>log/sale</c>.</param>
/// <param name="orderId">The order of a sale or return.</param>
/// <param name="createdAt">When it was tracked.</param>
/// <param name="state">Whether it waits, was sent, or failed.</param>
/// <param name="body">The call's JSON body without <c>key</c> and <c>private_key</c>.</param>
public sealed class ClerkPrivacyMessage(
    Guid id, string? store, string kind, string endpoint, string? orderId, DateTimeOffset createdAt, ClerkOutboxMessageState state, JsonElement body)
{
    /// <summary>Gets the message's ID.</summary>
    public Guid Id { get; } = id;

    /// <summary>Gets the store's name, or <see langword="null"/> when it is no longer configured.</summary>
    public string? Store { get; } = store;

    /// <summary>Gets what the message is: <c>sale</c>, <c>return</c> or <c>product</c>.</summary>
    public string Kind { get; } = kind;

    /// <summary>Gets Clerk's endpoint, such as <c>log/sale</c>.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>Gets the order of a sale or return.</summary>
    public string? OrderId { get; } = orderId;

    /// <summary>Gets when the message was tracked.</summary>
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>Gets whether the message waits, was sent, or failed.</summary>
    public ClerkOutboxMessageState State { get; } = state;

    /// <summary>Gets the call's JSON body without the keys.</summary>
    public JsonElement Body { get; } = body;
}
