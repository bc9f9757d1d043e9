namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The numbers of the calls, shared by the stores of one emulator: a call's number says when it came among every
/// store's calls, so the inspector and tests can order calls across stores.
/// </summary>
internal sealed class EmulatorSequence
{
    private long _last;

    public long Next() => Interlocked.Increment(ref _last);
}
