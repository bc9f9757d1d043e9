using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// The click beacon's per-client limit: <see cref="ClerkClickBeaconOptions.PermitLimit"/> clicks per
/// <see cref="ClerkClickBeaconOptions.Window"/> per client IP address. It is the ASP.NET Core rate limiter policy
/// <see cref="ClerkClickBeaconOptions.RateLimiterPolicyName"/> (applied by <c>app.UseRateLimiter()</c>), and the beacon
/// enforces the same limit itself on requests that middleware did not limit, so the beacon is never unprotected
/// because an app forgot <c>UseRateLimiter()</c>. Refusals are counted per click and logged once per
/// <see cref="FloodReportInterval"/>, so a flood cannot flood the logs too.
/// </summary>
internal sealed class ClickBeaconRateLimiter : IRateLimiterPolicy<string>, IDisposable
{
    public static readonly TimeSpan FloodReportInterval = TimeSpan.FromMinutes(1);

    private static readonly object LimitedByMiddleware = new();

    private readonly ClerkClickBeaconOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClerkMetrics _metrics;
    private readonly PartitionedRateLimiter<HttpContext> _own;
    private readonly Lock _floodLock = new();
    private long _refusedSinceReport;
    private bool _refusedBehindProxy;
    private DateTimeOffset? _nextReport;

    public ClickBeaconRateLimiter(IOptions<ClerkOptions> options, TimeProvider time, ILoggerFactory loggers, ClerkMetrics metrics)
    {
        _options = options.Value.ClickBeacon;
        _time = time;
        _logger = loggers.CreateLogger(typeof(ClickBeacon).FullName!);
        _metrics = metrics;
        _own = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
        OnRejected = (context, _) =>
        {
            Refuse(context.HttpContext, context.Lease);
            return ValueTask.CompletedTask;
        };
    }

    /// <summary>Whether the app registered its own policy under <see cref="ClerkClickBeaconOptions.RateLimiterPolicyName"/>.</summary>
    public bool ReplacedByApp { get; private set; }

    /// <inheritdoc/>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; }

    /// <summary>Adds this policy to the rate limiter's options unless the app took the name first (its policy wins).</summary>
    public void RegisterIn(RateLimiterOptions options)
    {
        try
        {
            options.AddPolicy(ClerkClickBeaconOptions.RateLimiterPolicyName, this);
        }
        catch (ArgumentException)
        {
            // RateLimiterOptions has no TryAdd: the name is taken, by the app's own policy, which replaces ours. These
            // options are built only by the rate limiting middleware, so that policy is in force.
            ReplacedByApp = true;
        }
    }

    /// <inheritdoc/>
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        // Called by the rate limiting middleware for the beacon's endpoint: the beacon need not count this click again.
        httpContext.Items[LimitedByMiddleware] = true;
        return Partition(httpContext);
    }

    /// <summary>
    /// Whether the click may go on. A click the middleware did not limit is counted here; over the limit, the 429
    /// answer is set and <see langword="false"/> returned.
    /// </summary>
    public bool TryAdmit(HttpContext context)
    {
        if (ReplacedByApp || context.Items.ContainsKey(LimitedByMiddleware))
        {
            return true;
        }

        using var lease = _own.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return true;
        }

        Refuse(context, lease);
        return false;
    }

    public void Dispose() => _own.Dispose();

    /// <summary>The partition of a client: its IPv4 address, or the /64 network of an IPv6 one (which a client gets whole).</summary>
    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }

    // Every visitor behind a proxy whose forwarded headers were not applied shares the proxy's address, and so one limit.
    private const string ProxyHint =
        " Refused clicks came through a proxy whose X-Forwarded-For was not applied, so all its visitors share one limit: call app.UseForwardedHeaders() first, with the proxy in KnownProxies or KnownIPNetworks (see event 9).";

    private RateLimitPartition<string> Partition(HttpContext context) =>
        RateLimitPartition.Get(ClientKey(context.Connection.RemoteIpAddress), _ => new ClockWindowLimiter(_options.PermitLimit, _options.Window, _time));

    private void Refuse(HttpContext context, RateLimitLease lease)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        _metrics.Dropped("click", "rate_limited");
        long count;
        bool behindProxy;
        var now = _time.GetUtcNow();
        lock (_floodLock)
        {
            _refusedSinceReport++;
            _refusedBehindProxy |= ForwardedFor.IsUnprocessed(context);
            if (_nextReport is { } next && now < next)
            {
                return;
            }

            count = _refusedSinceReport;
            behindProxy = _refusedBehindProxy;
            _refusedSinceReport = 0;
            _refusedBehindProxy = false;
            _nextReport = now + FloodReportInterval;
        }

        _logger.BeaconFlooded(count, _options.PermitLimit, _options.Window, FloodReportInterval, behindProxy ? ProxyHint : string.Empty);
    }
}
