using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>
/// The log events of erasure and export (<c>IClerkPrivacy</c>; ids 100-104, listed in docs/events.md). They are the
/// audit trail of privacy requests, so they say what was asked and what became of it, but never whom: only the kind of
/// subject (e-mail, customer or visitor), never its value, never a key, and never Clerk's error message (which may
/// quote the call's arguments).
/// </summary>
internal static partial class PrivacyLog
{
    [LoggerMessage(EventId = 100, EventName = "PersonForgotten", Level = LogLevel.Information,
        Message = "Erasure of a person given by {SubjectKind}: Clerk stores [{StoreOutcomes}]; outbox messages deleted {Deleted}, redacted {Redacted} ({InFlight} of them were being sent); succeeded: {Succeeded}.")]
    public static partial void PersonForgotten(this ILogger logger, ClerkPrivacySubjectKind subjectKind, string storeOutcomes, int deleted, int redacted, int inFlight, bool succeeded);

    [LoggerMessage(EventId = 101, EventName = "PersonExported", Level = LogLevel.Information,
        Message = "Export for a person given by {SubjectKind}: Clerk stores [{StoreOutcomes}]; {Messages} outbox messages; succeeded: {Succeeded}.")]
    public static partial void PersonExported(this ILogger logger, ClerkPrivacySubjectKind subjectKind, string storeOutcomes, int messages, bool succeeded);

    [LoggerMessage(EventId = 102, EventName = "PrivacyStoreFailed", Level = LogLevel.Warning,
        Message = "Clerk's {Endpoint} did not succeed for the Clerk store '{Store}': {Outcome} ({Reason}). The other stores were still asked; call again to retry (it is idempotent).")]
    public static partial void PrivacyStoreFailed(this ILogger logger, string endpoint, string store, ClerkPrivacyOutcome outcome, string reason);

    [LoggerMessage(EventId = 103, EventName = "PrivacyOutboxFailed", Level = LogLevel.Error,
        Message = "The outbox could not {Action} the person's messages ({ExceptionType}); Clerk's stores were still asked. Call again once the outbox (the shop's database) answers.")]
    public static partial void PrivacyOutboxFailed(this ILogger logger, string action, string exceptionType);

    [LoggerMessage(EventId = 104, EventName = "PrivacyMessagesInFlight", Level = LogLevel.Warning,
        Message = "{InFlight} of the person's outbox messages were being sent during the erasure: redacted, but a sender may deliver the old body to Clerk after privacy/forget. Call the erasure again once the outbox lease (Clerk:Delivery:OutboxLeaseDuration) has passed.")]
    public static partial void PrivacyMessagesInFlight(this ILogger logger, int inFlight);
}
