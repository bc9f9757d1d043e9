using Microsoft.Extensions.Logging.Testing;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>Assertions and waits on the <see cref="FakeLogCollector"/> of a test host.</summary>
internal static class LogRecords
{
    /// <summary>The package's own records (event ids are per category, so the framework's may share a number).</summary>
    public static IReadOnlyList<FakeLogRecord> ClerkRecords(this FakeLogCollector logs) =>
        logs.GetSnapshot().Where(IsClerks).ToArray();

    /// <summary>Waits, as records are written, for the <paramref name="count"/>th Clerk record that matches; returns it.</summary>
    public static Task<FakeLogRecord> WaitForAsync(this FakeLogCollector logs, Func<FakeLogRecord, bool> match, string what, int count = 1) =>
        FindAsync(logs, match, count, what);

    /// <summary>Waits for the <paramref name="count"/>th Clerk record with event id <paramref name="eventId"/>.</summary>
    public static Task<FakeLogRecord> WaitForEventAsync(this FakeLogCollector logs, int eventId, string what, int count = 1) =>
        logs.WaitForAsync(r => r.Id.Id == eventId, what, count);

    private static async Task<FakeLogRecord> FindAsync(FakeLogCollector logs, Func<FakeLogRecord, bool> match, int count, string what)
    {
        // The safety net of Guard: a record that never comes fails the test instead of hanging it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        stop.CancelAfter(Guard.SafetyTimeout);
        var seen = 0;
        try
        {
            await foreach (var record in logs.GetLogsAsync(stop.Token))
            {
                if (IsClerks(record) && match(record) && ++seen == count)
                {
                    return record;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        Assert.Fail($"Never logged: {what}.");
        return null!;
    }

    private static bool IsClerks(FakeLogRecord record) =>
        record.Category?.StartsWith("Clerk.AspNetCore", StringComparison.Ordinal) == true;
}
