using System.Globalization;
using System.Threading.RateLimiting;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// The feeds' limits per client IP address (IPv4, or an IPv6 /64): <see cref="ClerkFeedOptions.PermitLimit"/> requests
/// per <see cref="ClerkFeedOptions.Window"/>, and a much smaller budget of failed authentications,
/// <see cref="FailedAuthenticationLimit"/> per window, so the keys cannot be guessed. The request limit is the ASP.NET
/// Core rate limiter policy <see cref="ClerkFeedOptions.RateLimiterPolicyName"/> (applied by <c>app.UseRateLimiter()</c>),
/// and the feeds enforce it themselves on requests that middleware did not limit, as the click beacon does: a feed is
/// never unprotected because an app forgot <c>UseRateLimiter()</c>. Refusals are answered 429 with Clerk's error
/// shape and <c>Retry-After</c>, counted, and logged at most once per <see cref="ReportInterval"/> (event 72).
/// </summary>
internal sealed class FeedRateLimiter : IRateLimiterPolicy<string>, IDisposable
{
    /// <summary>Failed authentications a client address may make per window before every request of it is refused.</summary>
    public const int FailedAuthenticationLimit = 10;

    public static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private static readonly object LimitedByMiddleware = new();

    private readonly ClerkFeedOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FeedMetrics _metrics;
    private readonly PartitionedRateLimiter<HttpContext> _requests;
    private readonly PartitionedRateLimiter<HttpContext> _failures;
    private readonly Lock _reportLock = new();
    private long _refusedSinceReport;
    private string? _lastReason;
    private DateTimeOffset? _nextReport;

    public FeedRateLimiter(IOptions<ClerkOptions> options, TimeProvider time, ILoggerFactory loggers, FeedMetrics metrics)
    {
        _options = options.Value.Feeds;
        _time = time;
        _logger = loggers.CreateLogger(typeof(FeedEndpoint).FullName!);
        _metrics = metrics;
        _requests = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.Get(ClientKey(context), _ => new ClockWindowLimiter(_options.PermitLimit, _options.Window, _time)));
        _failures = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.Get(ClientKey(context), _ => new ClockWindowLimiter(FailedAuthenticationLimit, _options.Window, _time)));
        OnRejected = (context, _) => new ValueTask(RefuseAsync(context.HttpContext, context.Lease, "requests", FeedOf(context.HttpContext)));
    }

    /// <summary>Whether the app registered its own policy under <see cref="ClerkFeedOptions.RateLimiterPolicyName"/>.</summary>
    public bool ReplacedByApp { get; private set; }

    /// <inheritdoc/>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; }

    /// <summary>Adds this policy to the rate limiter's options unless the app took the name first (its policy wins).</summary>
    public void RegisterIn(RateLimiterOptions options)
    {
        try
        {
            options.AddPolicy(ClerkFeedOptions.RateLimiterPolicyName, this);
        }
        catch (ArgumentException)
        {
            // The name is taken by the app's own policy, which the rate limiting middleware applies instead.
            ReplacedByApp = true;
        }
    }

    /// <inheritdoc/>
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        // Called by the rate limiting middleware for a feed endpoint: the feed need not count this request again.
        httpContext.Items[LimitedByMiddleware] = true;
        return RateLimitPartition.Get(ClientKey(httpContext), _ => new ClockWindowLimiter(_options.PermitLimit, _options.Window, _time));
    }

    /// <summary>Whether the request may go on; over the limit, the 429 answer is written and <see langword="false"/> returned.</summary>
    public async ValueTask<bool> TryAdmitAsync(HttpContext context, string feed)
    {
        if (!ReplacedByApp && !context.Items.ContainsKey(LimitedByMiddleware))
        {
            using var lease = _requests.AttemptAcquire(context);
            if (!lease.IsAcquired)
            {
                await RefuseAsync(context, lease, "requests", feed).ConfigureAwait(false);
                return false;
            }
        }

        // Failed authentications are limited whatever limits the requests: a client that used its budget is refused
        // before its keys are looked at.
        using var failures = _failures.AttemptAcquire(context, 0);
        if (!failures.IsAcquired)
        {
            await RefuseAsync(context, failures, "failures", feed).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>Counts a failed authentication against the client's budget.</summary>
    public void AuthenticationFailed(HttpContext context) => _failures.AttemptAcquire(context).Dispose();

    public void Dispose()
    {
        _requests.Dispose();
        _failures.Dispose();
    }

    private static string ClientKey(HttpContext context) => ClickBeaconRateLimiter.ClientKey(context.Connection.RemoteIpAddress);

    private static string FeedOf(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        return path[(path.LastIndexOf('/') + 1)..];
    }

    private Task RefuseAsync(HttpContext context, RateLimitLease lease, string which, string feed)
    {
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : (int?)null;
        var failures = which == "failures";
        var tag = failures ? "too_many_failed_authentications" : "rate_limited";
        var reason = failures
            ? $"a client address made {FailedAuthenticationLimit} failed authentications within {_options.Window} (Clerk:Feeds:Window); its requests are refused until the window ends, so keys cannot be guessed."
            : $"a client address made more than {_options.PermitLimit} requests within {_options.Window} (Clerk:Feeds:PermitLimit per Clerk:Feeds:Window).";
        _metrics.Rejected(feed, tag);
        Report(reason);

        if (seconds is { } wait)
        {
            context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        }

        var after = seconds is { } s ? $" Try again in {s} seconds." : string.Empty;
        var message = failures
            ? $"Too many failed authentications from this address.{after}"
            : $"Too many requests for the feeds from this address: at most {_options.PermitLimit} per {_options.Window.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds.{after}";
        return FeedResponses.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, message);
    }

    private void Report(string reason)
    {
        long count;
        var now = _time.GetUtcNow();
        lock (_reportLock)
        {
            _refusedSinceReport++;
            _lastReason = reason;
            if (_nextReport is { } next && now < next)
            {
                return;
            }

            count = _refusedSinceReport;
            _refusedSinceReport = 0;
            _nextReport = now + ReportInterval;
        }

        _logger.FeedRateLimited(count, _lastReason ?? reason, ReportInterval);
    }
}
