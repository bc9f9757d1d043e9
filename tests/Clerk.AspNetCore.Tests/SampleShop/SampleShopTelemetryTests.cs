using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SampleShop.Telemetry;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The sample shop's OpenTelemetry: off by default, on with <c>OpenTelemetry:Exporter</c>.</summary>
public sealed class SampleShopTelemetryTests
{
    [Fact]
    public async Task Start_NoExporterConfigured_RegistersNoOpenTelemetry()
    {
        await using var factory = new SampleShopFactory();

        Assert.Null(factory.Services.GetService<TracerProvider>());
        Assert.Null(factory.Services.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData("Console")]
    [InlineData("otlp")]
    public async Task Start_ExporterConfigured_ExportsTracesAndMetrics(string exporter)
    {
        await using var factory = new SampleShopFactory();
        await using var shop = factory.WithWebHostBuilder(web => web.UseSetting(ShopTelemetry.ExporterSetting, exporter));

        Assert.NotNull(shop.Services.GetService<TracerProvider>());
        Assert.NotNull(shop.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Start_UnknownExporter_FailsSayingWhichValuesWork()
    {
        await using var factory = new SampleShopFactory();
        await using var shop = factory.WithWebHostBuilder(web => web.UseSetting(ShopTelemetry.ExporterSetting, "Jaeger"));

        var exception = Assert.Throws<InvalidOperationException>(() => shop.Services);

        Assert.Contains("'Console' or 'Otlp'", exception.Message, StringComparison.Ordinal);
    }
}
