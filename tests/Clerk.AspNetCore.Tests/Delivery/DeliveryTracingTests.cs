using System.Collections.Concurrent;
using System.Diagnostics;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>
/// The <c>clerk.delivery</c> spans of <see cref="ClerkDiagnostics.ActivitySourceName"/>: one per event delivered,
/// linked to the request that tracked the event, tagged with the event, the tries and the outcome, and never with a
/// key, an e-mail or a visitor ID. The source is process-wide, so each test finds its own span by its request's trace.
/// </summary>
public sealed class DeliveryTracingTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string VisitorId = "TraceVisitor42";
    private const string Email = "traced.buyer@example.com";

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly Signals _signals = new();
    private readonly ActivityListener _listener = new();

    private Task<ServerSideHost> StartAsync(RequestDelegate? endpoint = null, Action<ClerkOptions>? configure = null)
    {
        _listener.ShouldListenTo = source => source.Name is ClerkDiagnostics.ActivitySourceName or "Microsoft.AspNetCore";
        _listener.Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded;
        _listener.ActivityStopped = activity =>
        {
            if (activity.Source.Name == ClerkDiagnostics.ActivitySourceName)
            {
                _stopped.Enqueue(activity);
                _signals.Raise("stopped");
            }
        };
        ActivitySource.AddActivityListener(_listener);

        fixture.Reset();
        return ServerSideHost.StartAsync(
            fixture.Emulator,
            o =>
            {
                o.SaleTracking = ClerkSaleTracking.ServerSide;
                o.Delivery.MaxConcurrency = 1;
                configure?.Invoke(o);
            },
            endpoint);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Waits for the delivery span linked to <paramref name="trace"/>.</summary>
    private async Task<Activity> SpanLinkedToAsync(ActivityTraceId trace)
    {
        for (var seen = 1; ; seen++)
        {
            await _signals.WaitAsync("stopped", seen, $"a delivery span linked to trace {trace}");
            if (_stopped.FirstOrDefault(a => a.Links.Any(l => l.Context.TraceId == trace)) is { } span)
            {
                return span;
            }
        }
    }

    [Fact]
    public async Task Deliver_ClickTrackedInARequest_SpanLinksToThatRequest()
    {
        ActivityContext request = default;
        await using var host = await StartAsync(context =>
        {
            request = Activity.Current?.Context ?? default;
            context.RequestServices.GetRequiredService<IClerkTracker>().TrackClick(101, ["Home - New"]);
            return Task.CompletedTask;
        });

        using var response = await host.RequestAsync(visitorCookie: VisitorId);
        Assert.NotEqual(default, request.TraceId);
        var span = await SpanLinkedToAsync(request.TraceId);

        Assert.Equal("clerk.delivery", span.OperationName);
        var link = Assert.Single(span.Links);
        Assert.Equal(request.SpanId, link.Context.SpanId);
        Assert.NotEqual(request.TraceId, span.TraceId);
        Assert.Equal("click", span.GetTagItem("clerk.event"));
        Assert.Equal(1, span.GetTagItem("clerk.delivery.tries"));
        Assert.Equal("sent", span.GetTagItem("clerk.delivery.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Deliver_SaleOfAVisitorWithAnEmail_SpanTagsCarryNoKeyEmailOrVisitor()
    {
        ActivityContext request = default;
        await using var host = await StartAsync(async context =>
        {
            request = Activity.Current?.Context ?? default;
            await context.RequestServices.GetRequiredService<IClerkTracker>().TrackSaleAsync(
                new ClerkSale("NG-T1", [new ClerkSaleLine(101, 10m, 1)]) { Email = Email }, context.RequestAborted);
        });

        using var response = await host.RequestAsync(visitorCookie: VisitorId);
        var span = await SpanLinkedToAsync(request.TraceId);

        Assert.Equal("sale", span.GetTagItem("clerk.event"));
        foreach (var (name, value) in span.TagObjects)
        {
            var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            foreach (var secret in new[] { VisitorId, Email, ClerkEmulatorOptions.DemoPublicKey, ClerkEmulatorOptions.DemoPrivateKey })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Deliver_ClickRetriedThenGivenUp_OneSpanWithEveryTryAndAnError()
    {
        ActivityContext request = default;
        await using var host = await StartAsync(
            context =>
            {
                request = Activity.Current?.Context ?? default;
                context.RequestServices.GetRequiredService<IClerkTracker>().TrackClick(102, ["Home - New"]);
                return Task.CompletedTask;
            },
            o => o.Delivery.MaxEventAttempts = 2);
        fixture.Emulator.State.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));

        using var response = await host.RequestAsync();
        var span = await SpanLinkedToAsync(request.TraceId);

        Assert.Equal(2, span.GetTagItem("clerk.delivery.tries"));
        Assert.Equal("dropped", span.GetTagItem("clerk.delivery.outcome"));
        Assert.Equal("InternalError", span.GetTagItem("clerk.error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Single(_stopped, a => a.Links.Any(l => l.Context.TraceId == request.TraceId));
    }

    [Fact]
    public async Task Deliver_SaleRejectedByClerk_SpanOutcomeRejected()
    {
        ActivityContext request = default;
        await using var host = await StartAsync(async context =>
        {
            request = Activity.Current?.Context ?? default;
            await context.RequestServices.GetRequiredService<IClerkTracker>().TrackSaleAsync(
                new ClerkSale("NG-T2", [new ClerkSaleLine(101, 10m, 1)]), context.RequestAborted);
        }, o => o.PublicKey = "not-the-stores-public-key");

        using var response = await host.RequestAsync();
        var span = await SpanLinkedToAsync(request.TraceId);

        Assert.Equal("rejected", span.GetTagItem("clerk.delivery.outcome"));
        Assert.Equal("AuthenticationError", span.GetTagItem("clerk.error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }
}
