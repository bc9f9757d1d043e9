using System.Diagnostics;

namespace Clerk.AspNetCore;

/// <summary>
/// The names under which the package reports to OpenTelemetry (or any <see cref="System.Diagnostics.Metrics.MeterListener"/>
/// and <see cref="ActivityListener"/>): <c>AddMeter(ClerkDiagnostics.MeterName)</c> and
/// <c>AddSource(ClerkDiagnostics.ActivitySourceName)</c>. The instruments and spans are listed in docs/events.md.
/// </summary>
public static class ClerkDiagnostics
{
    /// <summary>The meter of the package's instruments (<c>clerk.visitor.requests</c>, <c>clerk.delivery.*</c> ...): <c>Clerk.AspNetCore</c>.</summary>
    public const string MeterName = "Clerk.AspNetCore";

    /// <summary>
    /// The activity source of the package's spans: <c>Clerk.AspNetCore</c>, the same as <see cref="MeterName"/>. Each
    /// server-side event delivered to Clerk gets one <c>clerk.delivery</c> span, linked to the request that tracked it.
    /// </summary>
    public const string ActivitySourceName = "Clerk.AspNetCore";

    /// <summary>
    /// The package's spans. Static, as .NET's guidance for activity sources says: one per library, alive as long as the
    /// process, costing nothing while no listener samples it.
    /// </summary>
    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName, typeof(ClerkDiagnostics).Assembly.GetName().Version?.ToString());
}
