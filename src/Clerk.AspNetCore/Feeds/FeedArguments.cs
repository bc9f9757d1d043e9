using System.Globalization;
using Clerk.AspNetCore.Delivery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// The arguments of a feed request as sent, from the query string and, for a POST, a form body
/// (<c>application/x-www-form-urlencoded</c> or <c>multipart/form-data</c>), which wins over the query. Read before
/// authentication (the keys may be in the body), checked after it (<see cref="FeedQuery"/>), so a caller without the
/// keys learns nothing about the arguments. Clerk's <c>orderby</c>, <c>order</c> and <c>fields</c> are accepted and
/// ignored: a feed is always in ID order, with all its fields.
/// </summary>
internal sealed class FeedArguments
{
    /// <summary>The largest body read: a feed request's arguments are a few short values.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly FormOptions Limits = new()
    {
        BufferBody = false,
        ValueCountLimit = 64,
        KeyLengthLimit = 100,
        ValueLengthLimit = MaxBodyBytes,
        MultipartBodyLengthLimit = MaxBodyBytes,
        MultipartHeadersCountLimit = 16,
        MultipartHeadersLengthLimit = 4 * 1024,
    };

    public string? Key { get; private set; }

    public string? PrivateKey { get; private set; }

    public string? Page { get; private set; }

    public string? Limit { get; private set; }

    public string? StartDate { get; private set; }

    public string? EndDate { get; private set; }

    public string? Debug { get; private set; }

    /// <summary>The name of an argument given more than once in the query or in the body, which is ambiguous.</summary>
    public string? Repeated { get; private set; }

    /// <summary>Reads the arguments; on a problem, the status to answer (400 or 413) and why.</summary>
    public static async Task<(FeedArguments? Arguments, int Status, string? Problem)> ReadAsync(HttpContext context)
    {
        var arguments = new FeedArguments();
        var request = context.Request;
        arguments.Take(name => request.Query[name]);
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            return (arguments, StatusCodes.Status200OK, null);
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, TooLarge);
        }

        var body = await ReadBoundedAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, TooLarge);
        }

        IFormCollection form;
        try
        {
            request.Body = new MemoryStream(body, writable: false);
            var reader = new FormFeature(request, Limits);
            context.Features.Set<IFormFeature>(reader);
            form = await reader.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or FormatException)
        {
            return (null, StatusCodes.Status400BadRequest,
                "The form body could not be read; send the arguments (key, private_key, page, limit ...) as application/x-www-form-urlencoded or multipart/form-data, or in the query string.");
        }

        arguments.Take(name => form[name]);
        return (arguments, StatusCodes.Status200OK, null);
    }

    private const string TooLarge =
        "The body is over 16 KiB; a feed request's arguments (key, private_key, page, limit, start_date, end_date) are a few short values.";

    private void Take(Func<string, StringValues> source)
    {
        Key = One(source, "key") ?? Key;
        PrivateKey = One(source, "private_key") ?? PrivateKey;
        Page = One(source, "page") ?? Page;
        Limit = One(source, "limit") ?? Limit;
        StartDate = One(source, "start_date") ?? StartDate;
        EndDate = One(source, "end_date") ?? EndDate;
        Debug = One(source, "debug") ?? Debug;
    }

    private string? One(Func<string, StringValues> source, string name)
    {
        var values = source(name);
        if (values.Count > 1)
        {
            Repeated ??= name;
        }

        // An empty value is no value (page= is the default page), as PHP's extensions read them.
        return values.Count == 0 || string.IsNullOrEmpty(values[0]) ? null : values[0];
    }

    /// <summary>The body, or <see langword="null"/> if it is longer than <see cref="MaxBodyBytes"/> (whatever Content-Length said).</summary>
    private static Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken) =>
        BoundedRequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
}

/// <summary>A feed request's checked arguments.</summary>
/// <param name="Page">The page, from 1.</param>
/// <param name="Limit">Items per page, from 1 to <see cref="ClerkFeedOptions.MaxLimit"/>.</param>
/// <param name="StartDate">For orders: placed at or after.</param>
/// <param name="EndDate">For orders: placed before.</param>
/// <param name="Indented">Clerk's <c>debug</c>: indented JSON, for a human reading the feed.</param>
internal readonly record struct FeedQuery(int Page, int Limit, DateTimeOffset? StartDate, DateTimeOffset? EndDate, bool Indented)
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Checks the arguments; returns what is wrong and what is accepted, or <see langword="null"/>.</summary>
    public static string? Check(FeedArguments arguments, ClerkFeedOptions options, bool takesDates, out FeedQuery query)
    {
        query = default;
        if (arguments.Repeated is { } repeated)
        {
            return $"'{repeated}' is given more than once; give each argument once (a value in the form body replaces the query string's).";
        }

        var page = 1;
        if (arguments.Page is { } pageText && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return $"'page' must be a whole number from 1 (the first page) up; it was '{Shown(pageText)}'.";
        }

        var limit = options.DefaultLimit;
        if (arguments.Limit is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > options.MaxLimit))
        {
            return $"'limit' must be a whole number from 1 to {options.MaxLimit} (Clerk:Feeds:MaxLimit); it was '{Shown(limitText)}'. Leave it out for {options.DefaultLimit} items per page.";
        }

        if ((long)(page - 1) * limit > int.MaxValue)
        {
            return $"'page' {page} with 'limit' {limit} starts after item {(long)(page - 1) * limit}, past the end of any feed; pages count from 1, and the page after the last is empty ([]).";
        }

        DateTimeOffset? start = null;
        DateTimeOffset? end = null;
        if (takesDates)
        {
            if (arguments.StartDate is { } startText && (start = Date(startText)) is null)
            {
                return DateProblem("start_date", startText);
            }

            if (arguments.EndDate is { } endText && (end = Date(endText)) is null)
            {
                return DateProblem("end_date", endText);
            }

            if (start is { } from && end is { } to && to < from)
            {
                return $"'end_date' ({to:O}) is before 'start_date' ({from:O}); the order feed gives the orders placed at or after start_date and before end_date.";
            }
        }

        query = new FeedQuery(page, limit, start, end, IsOn(arguments.Debug));
        return null;
    }

    private static string DateProblem(string name, string value) =>
        $"'{name}' must be unix time in seconds (1700000000) or an ISO 8601 date or date and time (2024-01-31, 2024-01-31T12:00:00Z, 2024-01-31T12:00:00%2B02:00 in a URL); it was '{Shown(value)}'.";

    /// <summary>Unix seconds, or an ISO 8601 date (midnight UTC) or date and time (UTC unless it has an offset).</summary>
    internal static DateTimeOffset? Date(string value)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds is >= -62_135_596_800 and <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        }

        return DateTimeOffset.TryParseExact(value, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }

    private static bool IsOn(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));

    // The value goes back to the caller in a JSON string (encoded); a long one is cut, so the error stays short.
    private static string Shown(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
