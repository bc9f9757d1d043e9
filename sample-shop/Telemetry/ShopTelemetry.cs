using Clerk.AspNetCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SampleShop.Telemetry;

/// <summary>
/// Watching the shop and its Clerk integration with OpenTelemetry: Clerk's meter and spans
/// (<see cref="ClerkDiagnostics"/>), ASP.NET Core's requests (which Clerk's delivery spans link to) and the HTTP
/// calls to Clerk. Off by default: set <see cref="ExporterSetting"/> to <c>Console</c> (spans and metrics on the
/// console) or <c>Otlp</c> (to a collector; <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, default http://localhost:4317).
/// </summary>
public static class ShopTelemetry
{
    public const string ExporterSetting = "OpenTelemetry:Exporter";

    public static WebApplicationBuilder AddShopTelemetry(this WebApplicationBuilder builder)
    {
        var exporter = builder.Configuration[ExporterSetting];
        if (string.IsNullOrWhiteSpace(exporter) || exporter.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            // Nothing registered at all: a shop that does not export pays nothing.
            return builder;
        }

        var console = exporter.Equals("Console", StringComparison.OrdinalIgnoreCase);
        if (!console && !exporter.Equals("Otlp", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{ExporterSetting} is '{exporter}'. Use 'Console' or 'Otlp', or leave it empty (the default) to export nothing.");
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ClerkDiagnostics.ActivitySourceName, "Microsoft.AspNetCore", "System.Net.Http");
                _ = console ? tracing.AddConsoleExporter() : tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ClerkDiagnostics.MeterName, "Microsoft.AspNetCore.Hosting", "System.Net.Http");
                _ = console ? metrics.AddConsoleExporter() : metrics.AddOtlpExporter();
            });
        return builder;
    }
}
