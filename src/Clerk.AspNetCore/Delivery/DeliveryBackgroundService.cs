using Microsoft.Extensions.Hosting;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// How both delivery workers stop: they go on sending while the host's shutdown timeout lasts, and only when it runs
/// out is a send in progress abandoned (<see cref="Abandon"/>); then they give the abandoned work back, and what is
/// left is put on record (<see cref="RecordLeftovers"/>).
/// </summary>
internal abstract class DeliveryBackgroundService : BackgroundService
{
    // How long abandoned sends have, after the shutdown timeout, to give their work back before the record is made.
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _abandon = new();

    protected DeliveryBackgroundService(TimeProvider time)
    {
        _time = time;
        Abandon = _abandon.Token;
    }

    /// <summary>Cancelled when the host's shutdown timeout runs out: only then is a send in progress abandoned.</summary>
    /// <remarks>
    /// Taken once: a host may stop a worker it has already disposed (a test host disposed without being stopped), and
    /// the token of a disposed source can still be read, where the source's <c>Token</c> property throws.
    /// </remarks>
    protected CancellationToken Abandon { get; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        OnStopping();
        using (cancellationToken.Register(_abandon.Cancel))
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
            await FinishAsync().ConfigureAwait(false);
        }

        // If the timeout ran out, the abandoned sends give their work back within moments: wait for that, so the
        // record below is complete.
        if (ExecuteTask is { IsCompleted: false } running)
        {
            await _abandon.CancelAsync().ConfigureAwait(false);
            await running.WaitAsync(AbandonGrace, _time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        RecordLeftovers();
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
    }

    /// <summary>Called first when the host stops, before the loops are told to.</summary>
    protected virtual void OnStopping()
    {
    }

    /// <summary>After the loops have ended, within the shutdown timeout: send what they left.</summary>
    protected virtual Task FinishAsync() => Task.CompletedTask;

    /// <summary>Logs what could not be sent before the process goes.</summary>
    protected abstract void RecordLeftovers();
}
