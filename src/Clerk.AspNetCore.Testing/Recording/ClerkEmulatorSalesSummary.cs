namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The emulator's count of <c>log/sale</c> calls since the last reset, for load runs: did every order arrive exactly
/// once, and how often was one sent again? Counted as the calls arrive, so it stays exact when the recorded calls
/// (bounded by <see cref="ClerkEmulatorOptions.MaxRecordedCalls"/>) no longer hold them all.
/// </summary>
/// <param name="Received">The <c>log/sale</c> calls answered <c>status: ok</c>: <paramref name="Distinct"/> plus <paramref name="Duplicates"/>.</param>
/// <param name="Distinct">The stored sales: the distinct sale IDs (orders).</param>
/// <param name="Duplicates">The accepted calls whose sale ID was already stored, which Clerk ignores.</param>
/// <param name="Failed">
/// The <c>log/sale</c> calls that failed: an injected fault (including a dropped connection) or an invalid call. A
/// call delayed by a fault counts once it is handled, as received, even when its client gave up waiting.
/// </param>
public sealed record ClerkEmulatorSalesSummary(long Received, long Distinct, long Duplicates, long Failed);
