using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>Names, sizes and conversions of Clerk's tables, in one place.</summary>
internal static class ClerkSchema
{
    public const string OutboxTable = "clerk_outbox";
    public const string ClaimsTable = "clerk_sale_claims";
    public const string SaltsTable = "clerk_cookieless_salts";
    public const string ActivityTable = "clerk_cookieless_activity";

    // A Clerk public key is 32 characters; room for more.
    public const int StoreMaxLength = 100;
    public const int KindMaxLength = 32;
    public const int EndpointMaxLength = 200;
    public const int OrderIdMaxLength = 200;
    public const int StateMaxLength = 16;
    public const int ErrorMaxLength = 2000;
    public const int SaltLength = 32;
    public const int VisitorIdMaxLength = 32;

    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    /// <summary>
    /// Times are stored as UTC <see cref="DateTime"/>, cut to whole microseconds: EF's SQLite provider cannot compare
    /// or order <see cref="DateTimeOffset"/> (it stores them as text with an offset), while UTC date-times are
    /// orderable on every provider (SQLite text, PostgreSQL <c>timestamptz</c>, SQL Server <c>datetime2</c>) and stay
    /// readable for whoever looks at the table. Microseconds are PostgreSQL's precision, so every provider gives back
    /// the same value.
    /// </summary>
    public static readonly ValueConverter<DateTimeOffset, DateTime> TimeConverter = new(
        value => ToUtc(value),
        stored => FromUtc(stored));

    public static readonly ValueConverter<DateTimeOffset?, DateTime?> NullableTimeConverter = new(
        value => value.HasValue ? ToUtc(value.Value) : null,
        stored => stored.HasValue ? FromUtc(stored.Value) : null);

    public static readonly ValueConverter<ClerkOutboxEntryState, string> StateConverter = new(
        value => StateName(value),
        stored => ParseState(stored));

    /// <summary>How long after midnight a day's salt and active visitors are still needed: the midnight grace, or zero
    /// when it is off (either window zero), as the core's visitor ID factory sees it.</summary>
    public static TimeSpan MidnightGrace(ClerkOptions options) =>
        options.Cookieless is { } c && c.MidnightActivityWindow > TimeSpan.Zero && c.MidnightGrace > TimeSpan.Zero ? c.MidnightGrace : TimeSpan.Zero;

    public static DateTime ToUtc(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTime(ticks - (ticks % 10), DateTimeKind.Utc);
    }

    public static DateTimeOffset FromUtc(DateTime stored) =>
        new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));

    public static string StateName(ClerkOutboxEntryState state) => state switch
    {
        ClerkOutboxEntryState.Sent => Sent,
        ClerkOutboxEntryState.Failed => Failed,
        _ => Pending,
    };

    public static ClerkOutboxEntryState ParseState(string stored) => stored switch
    {
        Sent => ClerkOutboxEntryState.Sent,
        Failed => ClerkOutboxEntryState.Failed,
        _ => ClerkOutboxEntryState.Pending,
    };
}
