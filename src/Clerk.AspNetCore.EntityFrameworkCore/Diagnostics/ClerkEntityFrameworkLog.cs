using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>The package's log events (ids 60–64, listed in docs/events.md). None carries a salt, key or e-mail.</summary>
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
}
