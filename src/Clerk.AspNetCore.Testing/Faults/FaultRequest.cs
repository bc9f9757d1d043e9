namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The body of <c>POST {emulator}/_emulator/faults</c>: one <see cref="Kind"/> for the next <see cref="Times"/> calls (or
/// all), or with <see cref="Rate"/> a share of the calls failing with a mix of <see cref="Kinds"/>.
/// </summary>
internal sealed record FaultRequest(
    string Endpoint,
    ClerkEmulatorFaultKind? Kind,
    int? Times,
    int? RetryAfterSeconds,
    int? DelayMilliseconds,
    double? Rate = null,
    IReadOnlyList<ClerkEmulatorFaultKind>? Kinds = null,
    int? Seed = null)
{
    /// <summary>What is wrong with the request, in words that say how to fix it, or <see langword="null"/>.</summary>
    public string? Problem()
    {
        if (string.IsNullOrEmpty(Endpoint))
        {
            return "endpoint is required, such as \"log/sale\". Send {\"endpoint\":\"log/sale\",\"kind\":\"InternalError\",\"times\":2}, "
                + "or {\"endpoint\":\"log/sale\",\"rate\":0.5,\"kinds\":[\"InternalError\",\"DropConnection\"],\"seed\":42}.";
        }

        if (RetryAfterSeconds is < 0 || DelayMilliseconds is < 0)
        {
            return "retryAfterSeconds and delayMilliseconds cannot be negative.";
        }

        if (Rate is not { } rate)
        {
            if (Kinds is not null || Seed is not null)
            {
                return "kinds and seed belong to a fault mix: add rate, the share of calls that fail (0 to 1).";
            }

            return Times is < 1 ? "times is at least 1, or left out for every call." : null;
        }

        if (!(rate is >= 0 and <= 1))
        {
            return "rate is the share of calls that fail: from 0 (none) to 1 (all).";
        }

        if (Times is not null)
        {
            return "times and rate exclude each other: a fault for the next N calls, or a share of all calls.";
        }

        if (Kind is not null)
        {
            return "with rate, name the kinds to mix in kinds (a list), not kind.";
        }

        return Kinds is { Count: 0 } ? "kinds needs at least one kind, or leave it out for all four." : null;
    }

    /// <summary>Injects the fault or fault mix; call only when <see cref="Problem"/> found none.</summary>
    public void ApplyTo(ClerkEmulatorState state)
    {
        var retryAfter = RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var delay = DelayMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        if (Rate is { } rate)
        {
            state.InjectFaultMix(
                Endpoint,
                new ClerkEmulatorFaultMix(rate, Kinds ?? Enum.GetValues<ClerkEmulatorFaultKind>(), Seed ?? 0) { RetryAfter = retryAfter, Delay = delay });
        }
        else
        {
            state.InjectFault(Endpoint, new ClerkEmulatorFault(Kind ?? ClerkEmulatorFaultKind.InternalError, retryAfter, delay), Times);
        }
    }
}
