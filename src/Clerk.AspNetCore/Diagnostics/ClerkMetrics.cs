using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Visitors;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>The package's instruments, on the meter <see cref="MeterName"/> (listed in docs/events.md).</summary>
internal sealed class ClerkMetrics
{
    public const string MeterName = "Clerk.AspNetCore";

    private readonly Counter<long> _visitors;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _markupProblems;
    private readonly Counter<long> _salesRendered;
    private readonly Counter<long> _salesSuppressed;

    public ClerkMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _visitors = meter.CreateCounter<long>(
            "clerk.visitor.requests", "{request}", "Requests that got a Clerk visitor identity, by visitor mode.");
        _failures = meter.CreateCounter<long>(
            "clerk.tracking.failures", "{failure}", "Tracking failures that were contained so the request could go on, by stage.");
        _markupProblems = meter.CreateCounter<long>(
            "clerk.markup.problems", "{problem}", "Mistakes in Clerk markup found while rendering a page (in Production; Development throws), by problem.");
        _salesRendered = meter.CreateCounter<long>(
            "clerk.sales.rendered", "{sale}", "Sales rendered into an order confirmation page for Clerk.js to send.");
        _salesSuppressed = meter.CreateCounter<long>(
            "clerk.sales.suppressed", "{sale}", "Sales not rendered again because the order was already sent (refresh, back button, second tab).");
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

    public void MarkupProblem(string problem) =>
        _markupProblems.Add(1, new KeyValuePair<string, object?>("clerk.problem", problem));

    public void SaleRendered() => _salesRendered.Add(1);

    public void SaleSuppressed() => _salesSuppressed.Add(1);

    private static string ModeTag(ClerkVisitorMode mode) => mode switch
    {
        ClerkVisitorMode.Persistent => "persistent",
        ClerkVisitorMode.Cookieless => "cookieless",
        _ => "disabled",
    };
}
