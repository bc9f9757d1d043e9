using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells the test when the code under test starts waiting on it, so that
/// the test advances the clock only once the timer it means to fire exists (advancing earlier would be lost on a
/// timer created afterwards). Waits are told apart by what they are: a timeout is a
/// <see cref="CancellationTokenSource"/> on this clock (Clerk's <c>ApiTimeout</c>); a delay is anything else
/// (a retry's back-off or <c>Retry-After</c>, <c>Task.Delay</c>, <c>WaitAsync</c>).
/// </summary>
internal sealed class SteppedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private const string Delay = "delay";
    private const string Timeout = "timeout";

    private readonly Signals _signals = new();
    private readonly List<TimeSpan> _delays = [];

    public SteppedTimeProvider()
        : this(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>How long each delay started on this clock so far was, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_delays)
            {
                return [.. _delays];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (state is CancellationTokenSource)
        {
            _signals.Raise(Timeout);
        }
        else
        {
            lock (_delays)
            {
                _delays.Add(dueTime);
            }

            _signals.Raise(Delay);
        }

        return timer;
    }

    /// <summary>Waits until the <paramref name="count"/>th delay has started on this clock; returns its length.</summary>
    public async Task<TimeSpan> DelayStartedAsync(int count)
    {
        await _signals.WaitAsync(Delay, count, $"delay #{count} on the fake clock");
        return Delays[count - 1];
    }

    /// <summary>
    /// Waits until the <paramref name="count"/>th delay that <paramref name="match"/> accepts has started (telling a
    /// retry's back-off from a worker's idle poll, say); returns its length.
    /// </summary>
    public async Task<TimeSpan> DelayStartedAsync(int count, Func<TimeSpan, bool> match)
    {
        var seen = 0;
        for (var i = 1; ; i++)
        {
            var delay = await DelayStartedAsync(i);
            if (match(delay) && ++seen == count)
            {
                return delay;
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> timeouts have been set on this clock.</summary>
    public Task TimeoutSetAsync(int count) => _signals.WaitAsync(Timeout, count, $"timeout #{count} on the fake clock");
}
