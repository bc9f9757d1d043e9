using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Visitors;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>The package's instruments, on the meter <see cref="MeterName"/> (listed in docs/events.md).</summary>
internal sealed class ClerkMetrics
{
    public const string MeterName = "Clerk.AspNetCore";

    private readonly Counter<long> _visitors;
    private readonly Counter<long> _failures;

    public ClerkMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _visitors = meter.CreateCounter<long>(
            "clerk.visitor.requests", "{request}", "Requests that got a Clerk visitor identity, by visitor mode.");
        _failures = meter.CreateCounter<long>(
            "clerk.tracking.failures", "{failure}", "Tracking failures that were contained so the request could go on, by stage.");
    }

    public void VisitorResolved(ClerkVisitorMode mode)
    {
        if (_visitors.Enabled)
        {
            _visitors.Add(1, new KeyValuePair<string, object?>("clerk.visitor.mode", ModeTag(mode)));
        }
    }

    public void TrackingFailed(string stage) =>
        _failures.Add(1, new KeyValuePair<string, object?>("clerk.stage", stage));

    private static string ModeTag(ClerkVisitorMode mode) => mode switch
    {
        ClerkVisitorMode.Persistent => "persistent",
        ClerkVisitorMode.Cookieless => "cookieless",
        _ => "disabled",
    };
}
