using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Tests.TestSupport;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.Visitors;

public sealed class ClerkTrackingMetricsTests
{
    [Fact]
    public async Task InvokeAsync_ContainedFailure_IsCountedByStage()
    {
        await using var host = await TrackingHost.StartAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => throw new InvalidDataException("broken"))));
        using var failures = new MeasurementRecorder(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.tracking.failures");

        await host.GetAsync();
        await host.GetAsync();

        Assert.Equal(2, failures.Measurements.Count);
        Assert.All(failures.Measurements, m => Assert.Equal("visitor_resolution", m.Tags["clerk.stage"]));
    }

    [Fact]
    public async Task InvokeAsync_ResolvedVisitor_IsCountedByMode()
    {
        await using var host = await TrackingHost.StartAsync();
        using var visitors = new MeasurementRecorder(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.visitor.requests");

        await host.GetAsync(headers: ("Sec-GPC", "1"));

        var measurement = Assert.Single(visitors.Measurements);
        Assert.Equal("disabled", measurement.Tags["clerk.visitor.mode"]);
    }
}
