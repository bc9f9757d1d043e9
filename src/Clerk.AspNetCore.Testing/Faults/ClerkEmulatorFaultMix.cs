namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Fails a share of an endpoint's calls, for load runs against an unreliable Clerk: each call fails with probability
/// <see cref="Rate"/>, as one of <see cref="Kinds"/> picked with equal chance (list a kind twice to weight it). The
/// draws come from a <see cref="Random"/> seeded with <see cref="Seed"/>, so the same seed and the same number of calls
/// give the same faults in the same order: a run can be repeated.
/// </summary>
/// <example>
/// Half of the sales fail, as 500, 429, a timeout or a dropped connection:
/// <code>
/// state.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(0.5,
///     [ClerkEmulatorFaultKind.InternalError, ClerkEmulatorFaultKind.TooManyRequests,
///      ClerkEmulatorFaultKind.Delay, ClerkEmulatorFaultKind.DropConnection], seed: 42) { Delay = TimeSpan.FromSeconds(15) });
/// </code>
/// </example>
public sealed class ClerkEmulatorFaultMix
{
    /// <summary>Creates a mix.</summary>
    /// <param name="rate">The share of calls that fail, from 0 (none) to 1 (all).</param>
    /// <param name="kinds">The kinds a failing call is picked from, with equal chance; at least one.</param>
    /// <param name="seed">The seed of the draws.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not between 0 and 1, or a kind is not one of <see cref="ClerkEmulatorFaultKind"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty.</exception>
    public ClerkEmulatorFaultMix(double rate, IReadOnlyList<ClerkEmulatorFaultKind> kinds, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (!(rate is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate is the share of calls that fail: from 0 (none) to 1 (all).");
        }

        if (kinds.Count == 0)
        {
            throw new ArgumentException("Name at least one kind of fault for the failing calls.", nameof(kinds));
        }

        foreach (var kind in kinds)
        {
            if (!Enum.IsDefined(kind))
            {
                throw new ArgumentOutOfRangeException(nameof(kinds), kind, "Not a kind of fault the emulator knows.");
            }
        }

        Rate = rate;
        Kinds = [.. kinds];
        Seed = seed;
    }

    /// <summary>The share of calls that fail, from 0 to 1.</summary>
    public double Rate { get; }

    /// <summary>The kinds a failing call is picked from, with equal chance.</summary>
    public IReadOnlyList<ClerkEmulatorFaultKind> Kinds { get; }

    /// <summary>The seed of the draws: the same seed gives the same faults for the same calls.</summary>
    public int Seed { get; }

    /// <summary>For <see cref="ClerkEmulatorFaultKind.TooManyRequests"/>: the <c>Retry-After</c> value (default 1 s).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <see cref="ClerkEmulatorFaultKind.Delay"/>: how long to wait (default 30 s, past a client's usual timeout).</summary>
    public TimeSpan? Delay { get; init; }
}
