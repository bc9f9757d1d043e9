using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> whose wall clock can also be set back, as an operator or NTP corrects a system
/// clock that ran ahead. <see cref="FakeTimeProvider.SetUtcNow"/> refuses to go back (its timers would break); this
/// moves only what <see cref="GetUtcNow"/> answers, by an offset.
/// </summary>
internal sealed class AdjustableTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private TimeSpan _correction;

    /// <summary>Sets the wall clock to <paramref name="value"/>, earlier or later than now.</summary>
    public void SetWallClock(DateTimeOffset value) => _correction = value - base.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _correction;
}
