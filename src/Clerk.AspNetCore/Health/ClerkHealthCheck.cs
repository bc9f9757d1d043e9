using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Delivery;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Health;

/// <summary>
/// Clerk's part of the app's health: the keys (checked through <c>client/account/info</c> when a private key is set,
/// at most every <see cref="KeyCheckInterval"/>), the last deliveries, whether a sale has gone to Clerk within
/// <see cref="ClerkDeliveryOptions.SalesHealthWindow"/> (Clerk's "red status" for sales tracking), and the outbox:
/// sales that failed for good, or that wait too long; and product IDs of clicks or sales whose JSON type is not the
/// product feed's (<see cref="ProductIdTypes"/>). The outbox and the ID types make the app Degraded at most, never
/// Unhealthy: the shop still sells, and its sales wait.
/// </summary>
/// <remarks>
/// The keys and the outbox are checked for every configured store. A shop configured with <c>Clerk:PublicKey</c>
/// (one store, <c>default</c>) gets the data it always got (<c>keys</c>, <c>outbox_pending</c> ...). A shop with
/// <c>Clerk:Stores</c> gets them per store, named by the store's name, never its key: <c>{store}.keys</c>,
/// <c>{store}.keys_checked</c>, <c>{store}.pending</c>, <c>{store}.failed</c>, <c>{store}.oldest_pending</c>, with
/// <c>outbox_pending</c> and <c>outbox_failed</c> the totals; each problem starts with <c>Store '{store}':</c>.
/// </remarks>
internal sealed class ClerkHealthCheck(
    IOptions<ClerkOptions> options,
    DeliveryHealth health,
    DeliveryQueue queue,
    IClerkOutbox outbox,
    IHttpClientFactory httpClients,
    ClerkCalls calls,
    TimeProvider time,
    ProductIdTypes idTypes,
    ClerkStoreSet stores) : IHealthCheck
{
    public static readonly TimeSpan KeyCheckInterval = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an outage (Clerk unreachable, slow or answering 5xx) is remembered: probes hit /health every few seconds,
    /// and each key check sends the private key, so an outage must not turn every probe into a call to Clerk.
    /// </summary>
    public static readonly TimeSpan OutageCheckInterval = TimeSpan.FromSeconds(30);

    // A delivery failure older than this no longer colours the status, if nothing was delivered since.
    public static readonly TimeSpan FailureMemory = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A sale or return still pending this long after it was tracked makes the check Degraded: Clerk has failed for a
    /// while, or no instance delivers (several retries at <see cref="ClerkDeliveryOptions.MaxRetryDelay"/> fit in it).
    /// </summary>
    public static readonly TimeSpan PendingTooLong = TimeSpan.FromMinutes(15);

    private readonly SemaphoreSlim _keyCheck = new(1, 1);

    // Each store's last key check, by store name.
    private readonly Dictionary<string, (DateTimeOffset At, string? Problem, bool Outage)> _lastKeyChecks = new(StringComparer.Ordinal);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var clerk = options.Value;
        if (!clerk.Enabled)
        {
            return HealthCheckResult.Healthy("Clerk is turned off (Clerk:Enabled is false).");
        }

        var now = time.GetUtcNow();
        var data = new Dictionary<string, object>
        {
            ["queue_length"] = queue.Count,
            ["sale_tracking"] = clerk.EffectiveSaleTracking.ToString(),
        };
        AddTime(data, "last_sale", health.LastSaleAt);
        AddTime(data, "last_delivery", health.LastDeliveredAt);
        AddTime(data, "last_failure", health.LastFailedAt);

        // The short form (Clerk:PublicKey) keeps its data as it was; named stores have their names in theirs.
        var named = !stores.IsShortForm;
        if (named)
        {
            data["stores"] = string.Join(", ", stores.All.Select(s => s.Name));
        }

        var problems = new List<string>();
        foreach (var store in stores.All)
        {
            if (await KeyProblemAsync(store, named, now, data, cancellationToken).ConfigureAwait(false) is { } keyProblem)
            {
                problems.Add(named ? $"Store '{store.Name}': {keyProblem}" : keyProblem);
            }
        }

        if (health.LastFailedAt is { } failedAt && now - failedAt < FailureMemory && !(health.LastDeliveredAt > failedAt))
        {
            problems.Add($"The last delivery to Clerk failed ({health.LastFailure}) and none has succeeded since.");
        }

        if (clerk.Delivery.SalesHealthWindow is { } window)
        {
            var since = health.LastSaleAt ?? health.StartedAt;
            if (now - since > window)
            {
                problems.Add(health.LastSaleAt is null
                    ? $"No sale has gone to Clerk since the app started {Hours(now - since)} ago (Clerk:Delivery:SalesHealthWindow is {Hours(window)}): check the order confirmation page or TrackSaleAsync."
                    : $"No sale has gone to Clerk for {Hours(now - since)} (Clerk:Delivery:SalesHealthWindow is {Hours(window)}): Clerk shows sales tracking red.");
            }
        }

        var outboxProblems = await OutboxProblemsAsync(named, now, data, cancellationToken).ConfigureAwait(false);

        // Clicks or sales whose product IDs have another JSON type than the feed's are never attributed; the shop
        // still sells, so this is Degraded, like the outbox.
        if (idTypes.FeedUsesNumbers is { } numbers)
        {
            data["product_id_type"] = numbers ? "integer" : "string";
        }

        if (idTypes.Problem is { } mismatch)
        {
            outboxProblems.Add(mismatch);
        }
        if (problems.Count > 0)
        {
            problems.AddRange(outboxProblems);
            return new HealthCheckResult(context.Registration.FailureStatus, string.Join(" ", problems), data: data);
        }

        return outboxProblems.Count == 0
            ? HealthCheckResult.Healthy("Clerk tracking works.", data)
            : HealthCheckResult.Degraded(string.Join(" ", outboxProblems), data: data);
    }

    private async Task<List<string>> OutboxProblemsAsync(bool named, DateTimeOffset now, Dictionary<string, object> data, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var totalPending = 0;
        var totalFailed = 0;
        foreach (var store in stores.All)
        {
            ClerkOutboxStatus status;
            try
            {
                status = await outbox.GetStatusAsync(store.PublicKey, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Only the type: a database's message may name its server, user or connection string. Said once: the
                // other stores' rows are in the same outbox.
                problems.Add($"The Clerk outbox ({outbox.GetType().Name}) could not be read ({exception.GetType().Name}); sales tracked meanwhile may not be stored. Its failures are logged as event 44 and 45.");
                return problems;
            }

            totalPending += status.Pending;
            totalFailed += status.Failed;
            var prefix = named ? $"Store '{store.Name}': " : "";
            if (named)
            {
                data[$"{store.Name}.pending"] = status.Pending;
                data[$"{store.Name}.failed"] = status.Failed;
                AddTime(data, $"{store.Name}.oldest_pending", status.OldestPendingSince);
            }
            else
            {
                data["outbox_pending"] = status.Pending;
                data["outbox_failed"] = status.Failed;
                AddTime(data, "outbox_oldest_pending", status.OldestPendingSince);
            }

            if (status.Failed > 0)
            {
                problems.Add($"{prefix}{status.Failed} Clerk sales or returns failed for good (rejected by Clerk, or still failing after Clerk:Delivery:SaleGiveUpAfter; events 34 and 35 say why); fix the cause and call IClerkOutbox.RedriveFailedAsync to send them again.");
            }

            if (status.OldestPendingSince is { } oldest && now - oldest > PendingTooLong)
            {
                problems.Add($"{prefix}{status.Pending} Clerk sales or returns wait for delivery, the oldest for {Hours(now - oldest)}: Clerk fails or is unreachable (event 32), or no instance delivers them.");
            }
        }

        if (named)
        {
            data["outbox_pending"] = totalPending;
            data["outbox_failed"] = totalFailed;
        }

        return problems;
    }

    private async Task<string?> KeyProblemAsync(ClerkStore store, bool named, DateTimeOffset now, Dictionary<string, object> data, CancellationToken cancellationToken)
    {
        var keys = named ? $"{store.Name}.keys" : "keys";
        if (!store.HasPrivateKey)
        {
            data[keys] = $"not checked: {store.Setting(nameof(ClerkStoreOptions.PrivateKey))} is not set";
            return null;
        }

        await _keyCheck.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_lastKeyChecks.TryGetValue(store.Name, out var last) || now - last.At >= (last.Outage ? OutageCheckInterval : KeyCheckInterval))
            {
                // Clerk's answer about the keys is kept for KeyCheckInterval; an outage (no answer, or a 5xx) only for
                // OutageCheckInterval, so the status recovers soon after Clerk does, without probes calling Clerk
                // with the private key on every /health hit meanwhile.
                var (problem, definite) = await CheckKeysAsync(store, cancellationToken).ConfigureAwait(false);
                _lastKeyChecks[store.Name] = last = (now, problem, !definite);
            }

            data[keys] = last.Problem is null ? "valid" : "invalid or unchecked";
            data[$"{keys}_checked"] = last.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            return last.Problem;
        }
        finally
        {
            _keyCheck.Release();
        }
    }

    private async Task<(string? Problem, bool Definite)> CheckKeysAsync(ClerkStore store, CancellationToken cancellationToken)
    {
        // The store's own keys, whichever request (a probe's /health, served by some store) runs the check.
        var storeCalls = calls.ForStore(store);
        var client = ClerkClient.Create(httpClients, storeCalls, time);
        try
        {
            using var answer = await client.SendAsync(storeCalls.AccountInfo(), cancellationToken).ConfigureAwait(false);
            return (null, true);
        }
        catch (ClerkApiException exception) when (exception.Type == ClerkErrorType.AuthenticationError)
        {
            return ($"Clerk rejects the API keys ({exception.ClerkMessage}): copy {store.Setting(nameof(ClerkStoreOptions.PublicKey))} and {store.Setting(nameof(ClerkStoreOptions.PrivateKey))} again from my.clerk.io › Developers › API Keys.", true);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Any other failure is an outage too (remembered briefly), so probes do not re-send the private key.
            return ($"Clerk could not be asked about the keys: {exception.Message}", false);
        }
    }

    private static void AddTime(Dictionary<string, object> data, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            data[name] = time.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static string Hours(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : $"{span.TotalMinutes:0} min";
}
