using System.Diagnostics.Metrics;
using System.Net;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>
/// The classic silent mismatch: a feed with integer IDs and sales with string IDs. The first is logged once with
/// the fix, every one counted, and the health check turns Degraded.
/// </summary>
public sealed class ProductIdTypeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static ProductIdTypes Create(FakeLogger<ProductIdTypes> logger, IMeterFactory? meters = null) =>
        new(logger, meters ?? new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    [Fact]
    public async Task FeedThenSaleOfTheOtherType_WarnsOnceCountsEachAndTurnsHealthDegraded()
    {
        fixture.Reset();
        await using var host = await FeedHost.StartAsync(
            o => o.SaleTracking = ClerkSaleTracking.ServerSide,
            emulator: fixture.Emulator,
            services: s => s.AddHealthChecks().AddClerk());
        host.Catalog.AddProducts(101, 3);
        using var mismatches = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkDiagnostics.MeterName, "clerk.product_id.type_mismatches");
        var tracker = host.Services.GetRequiredService<IClerkTracker>();

        var (status, _) = await host.GetTextAsync("product", keys: $"key={Testing.ClerkEmulatorOptions.DemoPublicKey}&private_key={Testing.ClerkEmulatorOptions.DemoPrivateKey}");
        await tracker.TrackSaleAsync(new ClerkSale("M-1", [new ClerkSaleLine("101", 10m, 1)]), TestContext.Current.CancellationToken);
        await tracker.TrackSaleAsync(new ClerkSale("M-2", [new ClerkSaleLine("102", 10m, 1)]), TestContext.Current.CancellationToken);
        await tracker.TrackSaleAsync(new ClerkSale("M-3", [new ClerkSaleLine(103, 10m, 1)]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, status);
        var warning = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 77);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.StartsWith("Your product feed sends integer IDs, but a sale (IClerkTracker.TrackSaleAsync) sent \"101\" as a string.", warning.Message, StringComparison.Ordinal);
        Assert.Contains("pass the integer itself", warning.Message, StringComparison.Ordinal);
        Assert.Equal(2, mismatches.GetMeasurementSnapshot().Count);
        Assert.All(mismatches.GetMeasurementSnapshot(), m => Assert.Equal("sale", m.Tags["clerk.source"]));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        var entry = report.Entries["clerk"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("Your product feed sends integer IDs", entry.Description, StringComparison.Ordinal);
        Assert.Equal("integer", entry.Data["product_id_type"]);
    }

    [Fact]
    public void Seen_BeforeTheFeedWasServed_IsReportedWhenTheFeedIsServed()
    {
        var logger = new FakeLogger<ProductIdTypes>();
        var types = Create(logger);

        types.Seen(new ClerkProductId("A-1"), ProductIdSource.Click);
        types.Seen(new ClerkProductId(5), ProductIdSource.Sale);
        Assert.Null(types.Problem);
        types.FeedServed(new ClerkProductId(1));

        Assert.StartsWith("Your product feed sends integer IDs, but earlier a click (IClerkTracker.TrackClick or the click beacon) sent \"A-1\" as a string.", types.Problem, StringComparison.Ordinal);
        Assert.Equal(77, Assert.Single(logger.Collector.GetSnapshot()).Id.Id);
    }

    [Fact]
    public void Seen_SameTypeAsTheFeed_ReportsNothing()
    {
        var logger = new FakeLogger<ProductIdTypes>();
        var types = Create(logger);
        types.FeedServed(new ClerkProductId("sku-1"));

        types.Seen(new ClerkProductId("sku-2"), ProductIdSource.ProductMarkup);
        types.Seen(default, ProductIdSource.Sale);

        Assert.Null(types.Problem);
        Assert.False(types.FeedUsesNumbers);
        Assert.Empty(logger.Collector.GetSnapshot());
    }

    [Fact]
    public void Seen_IntegerAgainstAStringFeed_SaysToPassTheFeedsString()
    {
        var types = Create(new FakeLogger<ProductIdTypes>());
        types.FeedServed(new ClerkProductId("104"));

        types.Seen(new ClerkProductId(104), ProductIdSource.ProductMarkup);

        Assert.Contains("Your product feed sends string IDs, but a clerk-product-id attribute on a page sent 104 as an integer.", types.Problem, StringComparison.Ordinal);
        Assert.Contains("clerk-product-id=\"@product.Id.ToString()\"", types.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrackClick_OtherTypeThanTheFeed_IsReported()
    {
        await using var host = await FeedHost.StartAsync();
        var types = host.Services.GetRequiredService<ProductIdTypes>();
        host.Catalog.AddProducts(1, 2);
        await host.GetTextAsync("product");

        host.Services.GetRequiredService<IClerkTracker>().TrackClick("1", ["Home - New"]);

        Assert.Contains("a click (IClerkTracker.TrackClick or the click beacon) sent \"1\" as a string", types.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Seen_SameTypeAsTheFeed_AllocatesNothing()
    {
        var types = Create(new FakeLogger<ProductIdTypes>());
        types.Seen(new ClerkProductId(1), ProductIdSource.Click);
        types.FeedServed(new ClerkProductId(2));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            types.Seen(new ClerkProductId(i), ProductIdSource.Click);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Null(types.Problem);
    }

    [Fact]
    public void Describe_EverySource_NamesItAndTheFix()
    {
        foreach (var source in Enum.GetValues<ProductIdSource>())
        {
            var text = ProductIdTypes.Describe(1, new ClerkProductId("7"), source, before: false);
            Assert.Contains("\"7\" as a string", text, StringComparison.Ordinal);
            Assert.Contains("pass the integer itself", text, StringComparison.Ordinal);
        }

    }
}
