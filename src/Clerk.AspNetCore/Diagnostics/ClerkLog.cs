using Clerk.AspNetCore.Visitors;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>
/// Every log event of the package, with stable event ids (listed in docs/events.md; never renumbered or reused).
/// Messages never contain the private key, a visitor ID, or the value of an invalid cookie.
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
}
