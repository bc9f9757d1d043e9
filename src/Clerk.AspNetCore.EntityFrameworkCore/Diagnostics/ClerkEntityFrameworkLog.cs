using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>The package's log events (ids 60–69, listed in docs/events.md). None carries a salt, key or e-mail.</summary>
internal static partial class ClerkEntityFrameworkLog
{
    [LoggerMessage(EventId = 60, EventName = "CleanupFailed", Level = LogLevel.Error,
        Message = "Clerk's database cleanup of {Table} failed; it is tried again in {Interval}.")]
    public static partial void CleanupFailed(ILogger logger, string table, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 61, EventName = "CleanedUp", Level = LogLevel.Debug,
        Message = "Clerk's database cleanup deleted {SentMessages} sent outbox rows, {Claims} sale claims and {Salts} cookieless salts.")]
    public static partial void CleanedUp(ILogger logger, int sentMessages, int claims, int salts);

    [LoggerMessage(EventId = 62, EventName = "SaltLoaded", Level = LogLevel.Debug,
        Message = "The cookieless salt of {Day} was loaded from the database (created by this instance: {Created}).")]
    public static partial void SaltLoaded(ILogger logger, DateOnly day, bool created);

    [LoggerMessage(EventId = 63, EventName = "MidnightGraceStoreFailed", Level = LogLevel.Warning,
        Message = "Clerk could not {Operation} the cookieless visitors active before midnight in the database; until it can, visitors keep their ID at midnight only on the instance that saw them.")]
    public static partial void MidnightGraceStoreFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 64, EventName = "DayForgotten", Level = LogLevel.Debug,
        Message = "The midnight grace after {Day} is over: deleted {Salts} cookieless salts and {Visitors} active visitor IDs of that day.")]
    public static partial void DayForgotten(ILogger logger, DateOnly day, int salts, int visitors);

    [LoggerMessage(EventId = 65, EventName = "FeedBoundaryLookedUp", Level = LogLevel.Debug,
        Message = "The {Feed} feed's page {Page} (limit {Limit}) follows a page this instance has not served (another instance did, or it restarted): its start was looked up with a query over the key column alone (found: {Found}), then the page read by keyset.")]
    public static partial void FeedBoundaryLookedUp(ILogger logger, string feed, int page, int limit, bool found);

    [LoggerMessage(EventId = 66, EventName = "FeedPageServed", Level = LogLevel.Debug,
        Message = "Served page {Page} of the {Feed} feed (limit {Limit}): {Count} items, {Paging}.")]
    public static partial void FeedPageServed(ILogger logger, string feed, int page, int limit, int count, string paging);

    [LoggerMessage(EventId = 67, EventName = "SyncOnSaveFailed", Level = LogLevel.Error,
        Message = "After a SaveChanges of {Context}, the changed products could not be queued for Clerk's real-time catalog sync; the changes are saved, and Clerk gets them at its next import of the product feed.")]
    public static partial void SyncOnSaveFailed(ILogger logger, string context, Exception exception);

    [LoggerMessage(EventId = 68, EventName = "FeedIdMismatch", Level = LogLevel.Warning,
        Message = "The {Feed} feed's IDs disagree with its keys: {Problem} (Logged once; Development throws.)")]
    public static partial void FeedIdMismatch(ILogger logger, string feed, string problem);

    [LoggerMessage(EventId = 69, EventName = "SyncOnSaveQueued", Level = LogLevel.Debug,
        Message = "A SaveChanges of {Context} changed {Count} products; they are queued for Clerk's real-time catalog sync.")]
    public static partial void SyncOnSaveQueued(ILogger logger, string context, int count);
}
