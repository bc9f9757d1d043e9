using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>
/// Every log event of the package, with stable event ids (listed in docs/events.md; never renumbered or reused).
/// Messages never contain the private key, a visitor ID, or the value of an invalid cookie; the one exception is the
/// payload of a sale that could not be delivered (event 42, at Debug only), which keeps its visitor ID and customer so
/// that the sale can be sent by hand with its attribution (keys left out, e-mail masked).
/// </summary>
internal static partial class ClerkLog
{
    [LoggerMessage(EventId = 1, EventName = "VisitorResolved", Level = LogLevel.Debug,
        Message = "Clerk visitor mode {Mode}: consent {Consent} decided by {ConsentSource}; new visitor: {IsNewVisitor}.")]
    public static partial void VisitorResolved(this ILogger logger, ClerkVisitorMode mode, ClerkConsent consent, ConsentSource consentSource, bool isNewVisitor);

    [LoggerMessage(EventId = 2, EventName = "InvalidVisitorCookie", Level = LogLevel.Debug,
        Message = "The {CookieName} cookie is not 1-32 ASCII letters or digits ({Length} characters); it is treated as absent and replaced.")]
    public static partial void InvalidVisitorCookie(this ILogger logger, string cookieName, int length);

    [LoggerMessage(EventId = 3, EventName = "VisitorCookieIssued", Level = LogLevel.Debug,
        Message = "Issued the {CookieName} cookie for a consenting visitor.")]
    public static partial void VisitorCookieIssued(this ILogger logger, string cookieName);

    [LoggerMessage(EventId = 4, EventName = "VisitorCookieDeleted", Level = LogLevel.Debug,
        Message = "Deleted the {CookieName} cookie: consent is {Consent}, decided by {ConsentSource}.")]
    public static partial void VisitorCookieDeleted(this ILogger logger, string cookieName, ClerkConsent consent, ConsentSource consentSource);

    [LoggerMessage(EventId = 5, EventName = "VisitorQueryParameterApplied", Level = LogLevel.Debug,
        Message = "Forced the visitor ID from the clerk_visitor query parameter (Clerk's testing aid).")]
    public static partial void VisitorQueryParameterApplied(this ILogger logger);

    [LoggerMessage(EventId = 6, EventName = "VisitorQueryParameterIgnored", Level = LogLevel.Debug,
        Message = "Ignored the clerk_visitor query parameter: {Reason}")]
    public static partial void VisitorQueryParameterIgnored(this ILogger logger, string reason);

    [LoggerMessage(EventId = 7, EventName = "CookiePolicyNotRun", Level = LogLevel.Warning,
        Message = "The app configures a cookie policy that asks for consent, but UseCookiePolicy() had not run when UseClerkTracking() did. Visitors are treated as undecided until app.UseCookiePolicy() is called before app.UseClerkTracking() in Program.cs.")]
    public static partial void CookiePolicyNotRun(this ILogger logger);

    [LoggerMessage(EventId = 8, EventName = "TrackingFailed", Level = LogLevel.Error,
        Message = "Clerk visitor tracking failed at {Stage}; the request continues without a Clerk visitor.")]
    public static partial void TrackingFailed(this ILogger logger, string stage, Exception exception);

    [LoggerMessage(EventId = 9, EventName = "ForwardedHeadersNotProcessed", Level = LogLevel.Warning,
        Message = "Requests reach the app with an X-Forwarded-For header from a loopback or private address that forwarded headers did not process, so every visitor seems to come from the proxy's address and undecided visitors would share one cookieless Clerk visitor ID; they get no visitor ID until this is fixed. Call app.UseForwardedHeaders() first in Program.cs, with ForwardedHeadersOptions.ForwardedHeaders = XForwardedFor | XForwardedProto and your proxy's address in KnownProxies (or its network in KnownIPNetworks).")]
    public static partial void ForwardedHeadersNotProcessed(this ILogger logger);

    [LoggerMessage(EventId = 10, EventName = "CookielessIdWithheld", Level = LogLevel.Debug,
        Message = "An undecided visitor got no cookieless Clerk visitor ID: {Reason}")]
    public static partial void CookielessIdWithheld(this ILogger logger, string reason);

    [LoggerMessage(EventId = 16, EventName = "VisitorCookieWithheldCrossSite", Level = LogLevel.Debug,
        Message = "A cross-site request other than GET or HEAD came without the {CookieName} cookie (a payment provider's return, say): no new cookie is issued in its response, since the browser may have withheld the visitor's own (SameSite=Lax) and a new one would replace it.")]
    public static partial void VisitorCookieWithheldCrossSite(this ILogger logger, string cookieName);

    [LoggerMessage(EventId = 17, EventName = "MidnightGraceKept", Level = LogLevel.Debug,
        Message = "A cookieless visitor active before midnight UTC keeps the previous day's visitor ID during the midnight grace.")]
    public static partial void MidnightGraceKept(this ILogger logger);

    [LoggerMessage(EventId = 18, EventName = "MidnightGraceFull", Level = LogLevel.Warning,
        Message = "More than {Capacity} cookieless visitors were active before midnight UTC; the others get the new day's visitor ID at midnight. Shorten Clerk:Cookieless:MidnightActivityWindow if this repeats.")]
    public static partial void MidnightGraceFull(this ILogger logger, int capacity);

    [LoggerMessage(EventId = 20, EventName = "LabelsMissing", Level = LogLevel.Warning,
        Message = "Clerk clicks on this page cannot be attributed: {Problem}")]
    public static partial void LabelsMissing(this ILogger logger, string problem);

    [LoggerMessage(EventId = 21, EventName = "LabelsReused", Level = LogLevel.Warning,
        Message = "Clerk cannot tell these elements apart: {Problem}")]
    public static partial void LabelsReused(this ILogger logger, string problem);

    [LoggerMessage(EventId = 22, EventName = "VisitorFeatureMissing", Level = LogLevel.Warning,
        Message = "<{TagName}> rendered on a request that UseClerkTracking() did not see, so the visitor is unknown and Clerk gets visitor: null. Call app.UseClerkTracking() before the endpoints in Program.cs.")]
    public static partial void VisitorFeatureMissing(this ILogger logger, string tagName);

    [LoggerMessage(EventId = 23, EventName = "SaleInvalid", Level = LogLevel.Error,
        Message = "The Clerk sale was not rendered: {Problem} The order is not claimed, so the page sends it once it is fixed.")]
    public static partial void SaleInvalid(this ILogger logger, string problem);

    [LoggerMessage(EventId = 24, EventName = "SaleAlreadySent", Level = LogLevel.Debug,
        Message = "The Clerk sale for order {OrderId} was sent before; it is not rendered again (Clerk counts each order once).")]
    public static partial void SaleAlreadySent(this ILogger logger, string orderId);

    [LoggerMessage(EventId = 25, EventName = "SaleRendered", Level = LogLevel.Debug,
        Message = "Rendered the Clerk sale for order {OrderId} with {LineCount} lines.")]
    public static partial void SaleRendered(this ILogger logger, string orderId, int lineCount);

    [LoggerMessage(EventId = 26, EventName = "MarkupInvalid", Level = LogLevel.Warning,
        Message = "Clerk markup is wrong: {Problem}")]
    public static partial void MarkupInvalid(this ILogger logger, string problem);

    [LoggerMessage(EventId = 27, EventName = "MarkupFailed", Level = LogLevel.Error,
        Message = "The <{TagName}> Clerk tag helper failed; the page renders without its Clerk markup.")]
    public static partial void MarkupFailed(this ILogger logger, string tagName, Exception exception);

    [LoggerMessage(EventId = 28, EventName = "SaleClaimReleased", Level = LogLevel.Warning,
        Message = "The page with the Clerk sale for order {OrderId} failed with status {StatusCode}; the order is released so that showing the page again sends the sale.")]
    public static partial void SaleClaimReleased(this ILogger logger, string orderId, int statusCode);

    [LoggerMessage(EventId = 30, EventName = "EventQueued", Level = LogLevel.Debug,
        Message = "Queued a Clerk {Event} for delivery; {QueueLength} events are waiting.")]
    public static partial void EventQueued(this ILogger logger, string @event, int queueLength);

    [LoggerMessage(EventId = 31, EventName = "EventDelivered", Level = LogLevel.Debug,
        Message = "Clerk accepted the {Event} ({Endpoint}) after {Attempts} tries, {LatencyMs} ms after it was tracked.")]
    public static partial void EventDelivered(this ILogger logger, string @event, string endpoint, int attempts, long latencyMs);

    [LoggerMessage(EventId = 32, EventName = "DeliveryRetrying", Level = LogLevel.Information,
        Message = "Sending the Clerk {Event} ({Endpoint}) failed on try {Attempt}: {Reason} It is tried again in {DelayMs} ms.")]
    public static partial void DeliveryRetrying(this ILogger logger, string @event, string endpoint, int attempt, string reason, long delayMs);

    [LoggerMessage(EventId = 33, EventName = "EventDropped", Level = LogLevel.Warning,
        Message = "Dropped a Clerk {Event}: {Reason}")]
    public static partial void EventDropped(this ILogger logger, string @event, string reason);

    // Events 34-36 are Errors, kept by every log store: they name the order and the size of the sale, never its
    // payload (customer ID, e-mail, order lines). The payload, to send the sale by hand, is event 42 at Debug.
    [LoggerMessage(EventId = 34, EventName = "DeliveryRejected", Level = LogLevel.Error,
        Message = "Clerk rejected the {Event} ({Endpoint}), so it is not retried: {ErrorType}: {ClerkMessage} (Clerk error ID {ErrorId}). Order: {OrderId}, {LineCount} lines.")]
    public static partial void DeliveryRejected(this ILogger logger, string @event, string endpoint, string? orderId, int lineCount, ClerkErrorType errorType, string clerkMessage, string? errorId);

    [LoggerMessage(EventId = 35, EventName = "SaleGivenUp", Level = LogLevel.Error,
        Message = "Gave up sending the Clerk {Event} for order {OrderId} with {LineCount} lines after {Attempts} tries over {Age}: {Reason} Its order is released in the sale ledger. Its payload, to send by hand, is logged with it as event 42 at Debug, if Debug logging is on for Clerk.AspNetCore.Delivery (keep it on where sales must be resendable).")]
    public static partial void SaleGivenUp(this ILogger logger, string @event, string? orderId, int lineCount, int attempts, TimeSpan age, string reason);

    [LoggerMessage(EventId = 36, EventName = "UndeliveredAtShutdown", Level = LogLevel.Error,
        Message = "The Clerk {Event} for order {OrderId} with {LineCount} lines was not delivered before the app stopped (the host's shutdown timeout). Its payload, to send by hand, is logged as event 42 at Debug, if Debug logging is on for Clerk.AspNetCore.Delivery (keep it on where sales must be resendable).")]
    public static partial void UndeliveredAtShutdown(this ILogger logger, string @event, string? orderId, int lineCount);

    [LoggerMessage(EventId = 37, EventName = "TrackingRejected", Level = LogLevel.Error,
        Message = "The Clerk {Event} was not tracked: {Problem}")]
    public static partial void TrackingRejected(this ILogger logger, string @event, string problem);

    [LoggerMessage(EventId = 38, EventName = "SaleLeftToPage", Level = LogLevel.Debug,
        Message = "TrackSaleAsync for order {OrderId} sent nothing: Clerk:SaleTracking is ClientSide, so the confirmation page's <clerk-sale> sends the sale.")]
    public static partial void SaleLeftToPage(this ILogger logger, string orderId);

    [LoggerMessage(EventId = 39, EventName = "BeaconRejected", Level = LogLevel.Debug,
        Message = "The Clerk click beacon answered {StatusCode}: {Reason}")]
    public static partial void BeaconRejected(this ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 40, EventName = "DroppedAtShutdown", Level = LogLevel.Warning,
        Message = "{Count} Clerk clicks, views or e-mails were not delivered before the app stopped.")]
    public static partial void DroppedAtShutdown(this ILogger logger, int count);

    [LoggerMessage(EventId = 41, EventName = "SaleLedgerFailed", Level = LogLevel.Error,
        Message = "The Clerk sale ledger failed to {Operation} order {OrderId}; {Consequence}")]
    public static partial void SaleLedgerFailed(this ILogger logger, string operation, string orderId, string consequence, Exception exception);

    [LoggerMessage(EventId = 42, EventName = "UndeliveredPayload", Level = LogLevel.Debug,
        Message = "The undelivered Clerk {Event} for order {OrderId}, to send by hand to {Endpoint} with the keys added: {Payload}")]
    public static partial void UndeliveredPayload(this ILogger logger, string @event, string? orderId, string endpoint, string payload);

    [LoggerMessage(EventId = 43, EventName = "BeaconFlooded", Level = LogLevel.Warning,
        Message = "The Clerk click beacon refused {Count} clicks over the per-client limit ({PermitLimit} per {Window}, Clerk:ClickBeacon) since its last report; it reports at most once every {Interval}.{ProxyHint}")]
    public static partial void BeaconFlooded(this ILogger logger, long count, int permitLimit, TimeSpan window, TimeSpan interval, string proxyHint);

    [LoggerMessage(EventId = 44, EventName = "OutboxWriteFailed", Level = LogLevel.Error,
        Message = "The Clerk {Event} for order {OrderId} could not be written to the outbox ({Outbox}), so it is not queued: its order is released, and TrackSaleAsync returned NotQueued. Its payload, to send by hand, is logged as event 42 at Debug, if Debug logging is on for Clerk.AspNetCore.Delivery.")]
    public static partial void OutboxWriteFailed(this ILogger logger, string @event, string? orderId, string outbox, Exception exception);

    [LoggerMessage(EventId = 45, EventName = "OutboxFailed", Level = LogLevel.Error,
        Message = "The Clerk outbox ({Outbox}) failed to {Operation}; {Consequence}")]
    public static partial void OutboxFailed(this ILogger logger, string outbox, string operation, string consequence, Exception exception);

    [LoggerMessage(EventId = 46, EventName = "OutboxRedriven", Level = LogLevel.Information,
        Message = "Re-drove {Count} failed Clerk sales and returns: they are due again, with their tries counted from zero.")]
    public static partial void OutboxRedriven(this ILogger logger, int count);

    [LoggerMessage(EventId = 47, EventName = "OutboxKindUnhandled", Level = LogLevel.Warning,
        Message = "The Clerk outbox holds '{Kind}' messages, which this instance cannot send (catalog sync needs services.AddClerkFeeds()); they are left for an instance that can, and tried again here after a lease.")]
    public static partial void OutboxKindUnhandled(this ILogger logger, string kind);

    [LoggerMessage(EventId = 50, EventName = "ClickBeaconNotMapped", Level = LogLevel.Warning,
        Message = "{Problem}")]
    public static partial void ClickBeaconNotMapped(this ILogger logger, string problem);

    [LoggerMessage(EventId = 89, EventName = "OutboxMessageOfOtherStore", Level = LogLevel.Warning,
        Message = "The Clerk outbox ({Outbox}) handed out a {Event} message of {MessageStore} when asked for the messages of the store '{Store}'. It is not sent (never with another store's keys) nor marked: its lease runs out and it stays as it was. The outbox should return only the store it is asked for; this is logged once.")]
    private static partial void OutboxMessageOfOtherStoreCore(this ILogger logger, string outbox, string @event, string store, string messageStore);

    /// <summary>Event 89; <paramref name="messageStore"/> is the message's store's name, or null for a store this app does not configure (never its key).</summary>
    public static void OutboxMessageOfOtherStore(this ILogger logger, string outbox, string @event, string store, string? messageStore) =>
        logger.OutboxMessageOfOtherStoreCore(outbox, @event, store, messageStore is null ? "a store this app does not configure" : $"the store '{messageStore}'");

    [LoggerMessage(EventId = 88, EventName = "UnknownStoreSelected", Level = LogLevel.Warning,
        Message = "{Selector} chose the Clerk store '{Store}', which is not configured (Clerk:Stores); the request's store is chosen by the stores' rules instead.")]
    public static partial void UnknownStoreSelected(this ILogger logger, string selector, string store);

    [LoggerMessage(EventId = 90, EventName = "StoreSelectorFailed", Level = LogLevel.Error,
        Message = "{Selector} threw while choosing the request's Clerk store; the store is chosen by the stores' rules instead. In Development the exception is not caught.")]
    public static partial void StoreSelectorFailed(this ILogger logger, string selector, Exception exception);
}
