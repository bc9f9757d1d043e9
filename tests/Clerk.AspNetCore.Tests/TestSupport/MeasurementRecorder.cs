using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// Records the measurements of one instrument of the meter that one service provider's <see cref="IMeterFactory"/>
/// created, so that hosts of tests running in parallel do not mix (Microsoft's MetricCollector is not in our mirror).
/// </summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MeasurementRecorder(IMeterFactory scope, string meterName, string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Meter.Name == meterName && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            _measurements.Enqueue((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    public IReadOnlyList<(long Value, Dictionary<string, object?> Tags)> Measurements => _measurements.ToArray();

    public void Dispose() => _listener.Dispose();
}
