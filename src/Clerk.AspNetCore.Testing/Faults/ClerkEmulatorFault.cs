namespace Clerk.AspNetCore.Testing;

/// <summary>What an injected fault does to a call.</summary>
public enum ClerkEmulatorFaultKind
{
    /// <summary>Answer HTTP 500 with Clerk's <c>InternalError</c> envelope.</summary>
    InternalError,

    /// <summary>Answer HTTP 429 with a <c>Retry-After</c> header.</summary>
    TooManyRequests,

    /// <summary>
    /// Wait <see cref="ClerkEmulatorFault.Delay"/>, then handle the call normally (to exceed a client's timeout). The
    /// call is handled even when the client has given up meanwhile, as a slow Clerk would: a delayed sale is stored,
    /// and the client's retry of it counts as a duplicate.
    /// </summary>
    Delay,

    /// <summary>Abort the connection without an answer.</summary>
    DropConnection,
}

/// <summary>A fault to inject into the calls of one endpoint.</summary>
/// <param name="Kind">What the fault does.</param>
/// <param name="RetryAfter">For <see cref="ClerkEmulatorFaultKind.TooManyRequests"/>: the <c>Retry-After</c> value (default 1 s).</param>
/// <param name="Delay">For <see cref="ClerkEmulatorFaultKind.Delay"/>: how long to wait (default 30 s).</param>
public sealed record ClerkEmulatorFault(ClerkEmulatorFaultKind Kind, TimeSpan? RetryAfter = null, TimeSpan? Delay = null);
