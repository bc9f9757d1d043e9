using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Derives the cookieless visitor ID: HMAC-SHA256 of client IP + User-Agent + host under the current UTC day's random
/// salt, as 16 characters of <see cref="VisitorId.Alphabet"/>. Nothing is stored on the device, and nothing about the
/// visitor on the server except around midnight (below); the same device gets the same ID until midnight UTC.
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

    private readonly IClerkCookielessSaltStore _salts;
    private readonly IClerkCookielessGraceStore? _grace;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger? _logger;

    // Times of day (UTC): before _graceEnd the previous day's ID may be kept; from _activeFrom a request is activity.
    // With the grace off, neither can be reached.
    private readonly TimeSpan _graceEnd;
    private readonly TimeSpan _activeFrom;

    // HMAC instances keyed with the current salt. Keying one costs more than hashing a request's inputs through it
    // (about 0.7 µs of OpenSSL setup against 0.6 µs), so they are reused. A new salt gets a new pool, and the old one
    // is disposed with every key in it, so that an old salt is forgotten here as soon as the store has moved on.
    // Yesterday's salt, during the grace, keys one-shot HMACs only: it is never kept here.
    private KeyedHmacPool? _hmacs;

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

        var userAgent = context.Request.Headers.UserAgent.ToString();
        var hmacs = HmacsFor(salt.Span);
        if (!hmacs.TryGet(out var hmac))
        {
            // Another request has just replaced the pool for a newer salt.
            return Recorded(utcDay, timeOfDay, Derive(salt.Span, context.Connection.RemoteIpAddress, userAgent, context.Request.Host.Host));
        }

        string visitorId;
        try
        {
            visitorId = Derive(hmac, context.Connection.RemoteIpAddress, userAgent, context.Request.Host.Host);
        }
        catch
        {
            // Half-way through a hash: not fit for the next request.
            hmac.Dispose();
            throw;
        }

        hmacs.Return(hmac);
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

    private KeyedHmacPool HmacsFor(ReadOnlySpan<byte> salt)
    {
        var current = Volatile.Read(ref _hmacs);
        if (current is not null && current.IsKeyedWith(salt))
        {
            return current;
        }

        // Racing requests at the salt change may each build a pool and dispose the one before; a request whose pool is
        // disposed under it derives with a one-shot HMAC. Either way every ID is derived under the salt the store returned.
        var fresh = new KeyedHmacPool(salt);
        Interlocked.Exchange(ref _hmacs, fresh)?.Dispose();
        return fresh;
    }

    internal static string Derive(ReadOnlySpan<byte> salt, IPAddress? clientIp, string? userAgent, string? host)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, salt);
        return Derive(hmac, clientIp, userAgent, host);
    }

    private static string Derive(IncrementalHash hmac, IPAddress? clientIp, string? userAgent, string? host)
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
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var written = Encoding.UTF8.GetBytes(ip, buffer);
            buffer[written++] = 0;
            written += Encoding.UTF8.GetBytes(ua, buffer.AsSpan(written));
            buffer[written++] = 0;
            written += Encoding.UTF8.GetBytes(hostName, buffer.AsSpan(written));

            hmac.AppendData(buffer, 0, written);
            Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
            hmac.GetHashAndReset(hash);
            return Encode(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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

    /// <summary>HMAC-SHA256 instances keyed with one salt, each used by one request at a time.</summary>
    private sealed class KeyedHmacPool : IDisposable
    {
        private readonly byte[] _salt;
        private readonly ObjectPool<IncrementalHash> _pool;

        public KeyedHmacPool(ReadOnlySpan<byte> salt)
        {
            _salt = salt.ToArray();

            // For an IDisposable the provider's pool disposes what it retains when disposed, and what is returned after.
            _pool = new DefaultObjectPoolProvider().Create(new KeyedHmacPolicy(_salt));
        }

        public bool IsKeyedWith(ReadOnlySpan<byte> salt) => _salt.AsSpan().SequenceEqual(salt);

        public bool TryGet([NotNullWhen(true)] out IncrementalHash? hmac)
        {
            try
            {
                hmac = _pool.Get();
                return true;
            }
            catch (ObjectDisposedException)
            {
                hmac = null;
                return false;
            }
        }

        public void Return(IncrementalHash hmac) => _pool.Return(hmac);

        // Frees the OpenSSL contexts, and with them the keys. The salt is not zeroed: a request that took an HMAC from
        // the pool just before may still be keying one with it.
        public void Dispose() => ((IDisposable)_pool).Dispose();
    }

    private sealed class KeyedHmacPolicy(byte[] salt) : PooledObjectPolicy<IncrementalHash>
    {
        public override IncrementalHash Create() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, salt);

        // GetHashAndReset leaves the instance keyed and empty.
        public override bool Return(IncrementalHash obj) => true;
    }
}
