namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// Counts things that happen in the background (a timer started, a call reached Clerk) and lets a test wait until one
/// has happened a number of times, without sleeping or polling.
/// </summary>
internal sealed class Signals
{
    private readonly Dictionary<string, int> _counts = [];
    private readonly List<(string Key, int Count, TaskCompletionSource Done)> _waiters = [];

    public void Raise(string key)
    {
        lock (_counts)
        {
            var count = _counts[key] = Count(key) + 1;
            foreach (var waiter in _waiters.Where(w => w.Key == key && w.Count <= count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    public int Count(string key)
    {
        lock (_counts)
        {
            return _counts.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits until <paramref name="key"/> has been raised <paramref name="count"/> times.</summary>
    public Task WaitAsync(string key, int count, string what)
    {
        Task task;
        lock (_counts)
        {
            if (Count(key) >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((key, count, done));
            task = done.Task;
        }

        return Guard.Within(task, what);
    }
}

/// <summary>A safety net for waits on signals: a test that hangs fails instead. Not a timing assertion.</summary>
internal static class Guard
{
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(10);

    public static async Task Within(Task task, string what)
    {
        try
        {
            await task.WaitAsync(SafetyTimeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Never happened: {what}.");
        }
    }

    public static async Task<T> Within<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(SafetyTimeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Never happened: {what}.");
            throw;
        }
    }
}
