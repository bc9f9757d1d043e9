namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>A clock the test sets by hand (Microsoft's FakeTimeProvider is not available from our package mirror).</summary>
internal sealed class TestTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
