using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>
/// A sale ledger (<see cref="IClerkSaleLedger"/>) that throws, seen from code that must go on without it: the tracker,
/// the delivery worker, and <c>&lt;clerk-sale&gt;</c> after its page. One event (41) and one count
/// (<c>clerk.tracking.failures</c>, stage <c>sale_ledger</c>) for all of them, with what the failure means for the order.
/// </summary>
internal static class SaleLedgerFailures
{
    public const string Stage = "sale_ledger";

    /// <summary>Taking the order failed, and the sale goes out anyway: a sale sent twice is better than a sale lost.</summary>
    public static void ClaimFailed(ILogger logger, ClerkMetrics metrics, string orderId, Exception exception)
    {
        logger.SaleLedgerFailed("claim", orderId, "the sale is sent anyway, since a sale sent twice is better than a sale lost.", exception);
        metrics.TrackingFailed(Stage);
    }

    /// <summary>Giving the order back failed: it stays claimed, so nothing else sends its sale until the ledger forgets it.</summary>
    public static void ReleaseFailed(ILogger logger, ClerkMetrics metrics, string orderId, Exception exception)
    {
        logger.SaleLedgerFailed("release", orderId, "the order stays claimed, so no <clerk-sale> or later TrackSaleAsync sends its sale until the ledger forgets the claim (Clerk:SaleLedger:Retention).", exception);
        metrics.TrackingFailed(Stage);
    }
}
