using System.Globalization;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// Server-side tracking as request code pays for it: queueing a click (what the beacon endpoint and
/// <c>TrackClick</c> cost a request), tracking a sale (checked, claimed in the ledger, serialized, written to the
/// in-memory outbox), and the client's
/// own cost of one call to Clerk against an in-memory answer (no network), which the worker pays per event.
/// </summary>
[MemoryDiagnoser]
public class DeliveryBenchmarks
{
    private const int Events = 1_000;
    private static readonly string[] Labels = ["Home - New"];

    private ServiceProvider _services = null!;
    private IClerkTracker _tracker = null!;
    private DeliveryQueue _queue = null!;
    private IClerkOutbox _outbox = null!;
    private ClerkClient _client = null!;
    private ClerkCall _click = null!;
    private ClerkSaleLine[] _lines = [];
    private string[] _orderIds = [];
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));
        services.AddSingleton<IHostEnvironment>(new BenchmarkHostEnvironment());
        services.AddClerk(o =>
        {
            o.PublicKey = "bench-public-key";
            o.SaleTracking = ClerkSaleTracking.ServerSide;
            o.Delivery.QueueCapacity = Events * 2;
        });
        services.AddHttpClient(ClerkOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new OkHandler());
        _services = services.BuildServiceProvider(); // no host: nothing drains the queue but the benchmark

        _tracker = _services.GetRequiredService<IClerkTracker>();
        _queue = _services.GetRequiredService<DeliveryQueue>();
        _outbox = _services.GetRequiredService<IClerkOutbox>();
        _client = (ClerkClient)_services.GetRequiredService<IClerkClient>();
        _click = _services.GetRequiredService<ClerkCalls>().Click(104, Labels, "recommendations/new", 3, ClerkVisitor.Of("AbC123xyZ0987654"));
        _lines = Enumerable.Range(0, 3).Select(i => new ClerkSaleLine(1000 + i, 99.95m + i, 1 + i)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [IterationSetup(Target = nameof(TrackSales))]
    public void NewOrderIds()
    {
        var round = (++_round).ToString(CultureInfo.InvariantCulture);
        _orderIds = Enumerable.Range(0, Events).Select(i => $"NG-{round}-{i.ToString(CultureInfo.InvariantCulture)}").ToArray();
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "TrackClick: check, capture, queue")]
    public void TrackClicks()
    {
        for (var i = 0; i < Events; i++)
        {
            _tracker.TrackClick(104, Labels, "recommendations/new", i % 24, ClerkVisitor.Of("AbC123xyZ0987654"));
        }

        Drain();
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "TrackSaleAsync, 3 lines: check, claim, write to the outbox")]
    public async Task TrackSales()
    {
        foreach (var orderId in _orderIds)
        {
            await _tracker.TrackSaleAsync(new ClerkSale(orderId, _lines) { Email = "buyer@example.com", Visitor = ClerkVisitor.Of("AbC123xyZ0987654") });
        }

        // What the outbox worker would do, minus the calls: the in-memory outbox must not fill up across iterations.
        IReadOnlyList<ClerkOutboxMessage> leased;
        while ((leased = await _outbox.LeaseAsync("bench-public-key", Events, TimeSpan.FromMinutes(1))).Count > 0)
        {
            await _outbox.MarkSentAsync([.. leased]);
        }
    }

    [Benchmark(Description = "one call to Clerk, in-memory answer (client overhead)")]
    public async Task SendClick()
    {
        using var answer = await _client.SendAsync(_click, CancellationToken.None);
    }

    private void Drain()
    {
        while (_queue.TryRead(out _))
        {
        }
    }

    /// <summary>Clerk's answer to a log call, without a network.</summary>
    private sealed class OkHandler : HttpMessageHandler
    {
        private static readonly byte[] Ok = Encoding.UTF8.GetBytes("{\"status\":\"ok\"}");

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Ok) });
    }
}
