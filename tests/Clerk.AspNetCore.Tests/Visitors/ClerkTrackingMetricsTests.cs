using System.Diagnostics.Metrics;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Clerk.AspNetCore.Tests.Visitors;

public sealed class ClerkTrackingMetricsTests
{
    [Fact]
    public async Task InvokeAsync_ContainedFailure_IsCountedByStage()
    {
        await using var host = await TrackingHost.StartAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => throw new InvalidDataException("broken"))));
        using var failures = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.tracking.failures");

        await host.GetAsync();
        await host.GetAsync();

        Assert.Equal(2, failures.GetMeasurementSnapshot().Count);
        Assert.All(failures.GetMeasurementSnapshot(), m => Assert.Equal("visitor_resolution", m.Tags["clerk.stage"]));
    }

    [Fact]
    public async Task InvokeAsync_ResolvedVisitor_IsCountedByMode()
    {
        await using var host = await TrackingHost.StartAsync();
        using var visitors = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.visitor.requests");

        await host.GetAsync(headers: ("Sec-GPC", "1"));

        var measurement = Assert.Single(visitors.GetMeasurementSnapshot());
        Assert.Equal("disabled", measurement.Tags["clerk.visitor.mode"]);
    }
}
