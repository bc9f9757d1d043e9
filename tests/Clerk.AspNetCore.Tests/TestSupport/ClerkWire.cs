namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// Sits in the Clerk <see cref="HttpClient"/>'s pipeline in front of the emulator: tells the test when a call to an
/// endpoint has left and when its answer (or failure) came back, and can make Clerk not answer (a call that waits
/// until it is cancelled) or hold a call until the test lets it through.
/// </summary>
internal sealed class ClerkWire
{
    private readonly Signals _signals = new();
    private readonly Dictionary<string, int> _silent = [];
    private readonly Dictionary<string, TaskCompletionSource> _held = [];

    /// <summary>The next <paramref name="times"/> calls to <paramref name="endpoint"/> get no answer until cancelled.</summary>
    public void Silence(string endpoint, int times)
    {
        lock (_silent)
        {
            _silent[endpoint] = times;
        }
    }

    /// <summary>The next call to <paramref name="endpoint"/> waits until the returned source is set.</summary>
    public TaskCompletionSource Hold(string endpoint)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_silent)
        {
            _held[endpoint] = gate;
        }

        return gate;
    }

    public int Sent(string endpoint) => _signals.Count($"sent {endpoint}");

    public int Answered(string endpoint) => _signals.Count($"answered {endpoint}");

    /// <summary>Waits until <paramref name="count"/> calls to <paramref name="endpoint"/> have left.</summary>
    public Task SentAsync(string endpoint, int count) =>
        _signals.WaitAsync($"sent {endpoint}", count, $"call #{count} to {endpoint}");

    /// <summary>Waits until <paramref name="count"/> calls to <paramref name="endpoint"/> have come back (answer or failure).</summary>
    public Task AnsweredAsync(string endpoint, int count) =>
        _signals.WaitAsync($"answered {endpoint}", count, $"the end of call #{count} to {endpoint}");

    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(ClerkWire wire) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var endpoint = path[(path.IndexOf("/v2/", StringComparison.Ordinal) + 4)..];
            bool silent;
            TaskCompletionSource? gate;
            lock (wire._silent)
            {
                silent = wire._silent.GetValueOrDefault(endpoint) > 0;
                if (silent)
                {
                    wire._silent[endpoint]--;
                }

                wire._held.Remove(endpoint, out gate);
            }

            wire._signals.Raise($"sent {endpoint}");
            try
            {
                if (silent)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }

                if (gate is not null)
                {
                    await gate.Task.WaitAsync(cancellationToken);
                }

                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                wire._signals.Raise($"answered {endpoint}");
            }
        }
    }
}
