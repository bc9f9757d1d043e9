using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Derives the cookieless visitor ID: a keyed hash (<see cref="SipHash128"/>: SipHash-2-4, the function Plausible
/// uses, with a 128-bit tag) of client IP + User-Agent + host under the current UTC day's random salt, as 16
/// characters of <see cref="VisitorId.Alphabet"/>. Nothing is stored on the device, and nothing about the visitor on
/// the server except around midnight (below); the same device gets the same ID until midnight UTC.
/// </summary>
/// <remarks>
/// <para>Behind a proxy the client IP is only right after <c>UseForwardedHeaders()</c>.</para>
/// <para>
/// Midnight (<see cref="ClerkCookielessOptions"/>): the IDs derived in the day's last
/// <see cref="ClerkCookielessOptions.MidnightActivityWindow"/> are recorded in the grace store, and during the first
/// <see cref="ClerkCookielessOptions.MidnightGrace"/> of the next day a visitor whose ID under yesterday's salt was
/// recorded keeps it. The rest of the day takes the path it always took: two comparisons of the time of day are all
/// the grace costs there.
/// </para>
/// </remarks>
internal sealed class CookielessVisitorIdFactory
{
    // User-Agents longer than this add no identifying power worth hashing; the cap bounds the work per request.
    private const int MaxUserAgentLength = 1024;

    // A browser's inputs (an address, a User-Agent of ~100–250 characters, a host) fit on the stack.
    private const int StackBufferLength = 512;

    private readonly IClerkCookielessSaltStore _salts;
    private readonly IClerkCookielessGraceStore? _grace;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger? _logger;

    // Times of day (UTC): before _graceEnd the previous day's ID may be kept; from _activeFrom a request is activity.
    // With the grace off, neither can be reached.
    private readonly TimeSpan _graceEnd;
    private readonly TimeSpan _activeFrom;

    // The current salt's hash key, made once per salt. A new salt replaces it, so that an old salt is forgotten here
    // as soon as the store has moved on. Yesterday's salt, during the grace, is keyed for one request at a time only.
    private SaltKey? _key;

    public CookielessVisitorIdFactory(
        IClerkCookielessSaltStore salts,
        IClerkCookielessGraceStore grace,
        IOptions<ClerkOptions> options,
        TimeProvider timeProvider,
        ILogger<CookielessVisitorIdFactory> logger)
        : this(salts, timeProvider)
    {
        var cookieless = options.Value.Cookieless;
        if (cookieless is { GraceEnabled: true })
        {
            _grace = grace;
            _graceEnd = cookieless.MidnightGrace;
            _activeFrom = TimeSpan.FromDays(1) - cookieless.MidnightActivityWindow;
        }

        _logger = logger;
    }

    /// <summary>Without a midnight grace: the salt changes for everyone at midnight.</summary>
    internal CookielessVisitorIdFactory(IClerkCookielessSaltStore salts, TimeProvider timeProvider)
    {
        _salts = salts;
        _timeProvider = timeProvider;
        _graceEnd = TimeSpan.Zero;
        _activeFrom = TimeSpan.MaxValue;
    }

    public async ValueTask<string> CreateAsync(HttpContext context)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var utcDay = DateOnly.FromDateTime(now);
        var timeOfDay = now.TimeOfDay;

        if (timeOfDay < _graceEnd
            && await KeptFromYesterdayAsync(context, utcDay, context.RequestAborted).ConfigureAwait(false) is { } kept)
        {
            return kept;
        }

        var salt = await _salts.GetSaltAsync(utcDay, context.RequestAborted).ConfigureAwait(false);

        var visitorId = Derive(KeyFor(salt.Span), context.Connection.RemoteIpAddress, context.Request.Headers.UserAgent.ToString(), context.Request.Host.Host);
        return Recorded(utcDay, timeOfDay, visitorId);
    }

    private string Recorded(DateOnly utcDay, TimeSpan timeOfDay, string visitorId)
    {
        if (timeOfDay >= _activeFrom)
        {
            _grace!.RecordActive(utcDay, visitorId);
        }

        return visitorId;
    }

    /// <summary>
    /// In the grace: the visitor's ID under yesterday's salt, when the grace store saw it active before midnight;
    /// otherwise <see langword="null"/> (today's ID applies).
    /// </summary>
    private async ValueTask<string?> KeptFromYesterdayAsync(HttpContext context, DateOnly utcDay, CancellationToken cancellationToken)
    {
        var yesterday = utcDay.AddDays(-1);
        var yesterdaysSalt = await _salts.GetSaltAsync(yesterday, cancellationToken).ConfigureAwait(false);
        var todaysSalt = await _salts.GetSaltAsync(utcDay, cancellationToken).ConfigureAwait(false);

        // A store that no longer has yesterday's salt (its own clock says the grace is over, or it never keeps one)
        // answers with today's: then there is nothing to keep.
        if (yesterdaysSalt.Span.SequenceEqual(todaysSalt.Span))
        {
            return null;
        }

        var visitorId = Derive(yesterdaysSalt.Span, context.Connection.RemoteIpAddress, context.Request.Headers.UserAgent.ToString(), context.Request.Host.Host);
        if (!await _grace!.WasActiveAsync(yesterday, visitorId, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _logger?.MidnightGraceKept();
        return visitorId;
    }

    private SipHashKey KeyFor(ReadOnlySpan<byte> salt)
    {
        var current = Volatile.Read(ref _key);
        if (current is not null && current.Salt.AsSpan().SequenceEqual(salt))
        {
            return current.Key;
        }

        // Racing requests at the salt change may each make the key; they all make the same one.
        var fresh = new SaltKey(salt.ToArray(), KeyOf(salt));
        Volatile.Write(ref _key, fresh);
        return fresh.Key;
    }

    /// <summary>
    /// The salt, whatever its length (a store of the app's own may keep any), compressed to a 128-bit key: its SipHash
    /// under the all-zero key. A random salt of 16 bytes or more keeps 128 bits of randomness in it.
    /// </summary>
    internal static SipHashKey KeyOf(ReadOnlySpan<byte> salt)
    {
        Span<byte> key = stackalloc byte[SipHash128.TagLength];
        SipHash128.Hash(default, salt, key);
        return SipHashKey.From(key);
    }

    internal static string Derive(ReadOnlySpan<byte> salt, IPAddress? clientIp, string? userAgent, string? host) =>
        Derive(KeyOf(salt), clientIp, userAgent, host);

    private static string Derive(SipHashKey key, IPAddress? clientIp, string? userAgent, string? host)
    {
        if (clientIp is { IsIPv4MappedToIPv6: true })
        {
            clientIp = clientIp.MapToIPv4();
        }

        var ip = clientIp?.ToString() ?? string.Empty;
        var ua = userAgent is { Length: > MaxUserAgentLength } ? userAgent.AsSpan(0, MaxUserAgentLength) : userAgent.AsSpan();
        var hostName = (host ?? string.Empty).ToLowerInvariant();

        // '\0' cannot occur in any of the three, so the concatenation is unambiguous.
        var maxBytes = Encoding.UTF8.GetMaxByteCount(ip.Length + ua.Length + hostName.Length + 2);
        var rented = maxBytes > StackBufferLength ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> buffer = rented ?? stackalloc byte[StackBufferLength];
        try
        {
            var written = Encoding.UTF8.GetBytes(ip, buffer);
            buffer[written++] = 0;
            written += Encoding.UTF8.GetBytes(ua, buffer[written..]);
            buffer[written++] = 0;
            written += Encoding.UTF8.GetBytes(hostName, buffer[written..]);

            Span<byte> hash = stackalloc byte[SipHash128.TagLength];
            SipHash128.Hash(key, buffer[..written], hash);
            return Encode(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// 16 base-62 digits of the first 128 hash bits, least significant first. 62^16 is far below 2^128, so every
    /// character is uniform to within one part in ten billion.
    /// </summary>
    /// <remarks>
    /// Long division of four 32-bit limbs, which the JIT turns into multiplications. <c>UInt128.DivRem</c> is a
    /// software 128-bit division; sixteen of them cost about 0.25 µs per cookieless request.
    /// </remarks>
    internal static string Encode(ReadOnlySpan<byte> hash)
    {
        Span<uint> limbs = stackalloc uint[4];
        for (var i = 0; i < limbs.Length; i++)
        {
            // Most significant limb first, from the little-endian 128-bit value.
            limbs[i] = BinaryPrimitives.ReadUInt32LittleEndian(hash[((3 - i) * 4)..]);
        }

        Span<char> chars = stackalloc char[VisitorId.GeneratedLength];
        for (var i = 0; i < chars.Length; i++)
        {
            ulong remainder = 0;
            for (var limb = 0; limb < limbs.Length; limb++)
            {
                var current = (remainder << 32) | limbs[limb];
                limbs[limb] = (uint)(current / 62);
                remainder = current % 62;
            }

            chars[i] = VisitorId.Alphabet[(int)remainder];
        }

        return new string(chars);
    }

    /// <summary>A salt and its hash key.</summary>
    private sealed record SaltKey(byte[] Salt, SipHashKey Key);
}
