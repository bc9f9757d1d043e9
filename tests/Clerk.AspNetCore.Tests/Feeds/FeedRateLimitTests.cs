using System.Diagnostics.Metrics;
using System.Text.Json;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>Per client address: Clerk:Feeds:PermitLimit requests per window, and ten failed authentications.</summary>
public sealed class FeedRateLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<JsonElement> ErrorAsync(HttpContext context)
    {
        return JsonDocument.Parse(await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("error");
    }

    [Fact]
    public async Task Get_OverThePermitLimit_Answers429WithRetryAfterUntilTheWindowEnds()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await FeedHost.StartAsync(o => { o.Feeds.PermitLimit = 3; o.Feeds.Window = TimeSpan.FromMinutes(1); }, time: time);
        using var rejected = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkDiagnostics.MeterName, "clerk.feed.rejected");
        var path = $"/clerk/product?{FeedHost.Keys}";

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await host.SendAsync(path)).Response.StatusCode);
        }

        var refused = await host.SendAsync(path);
        var otherClient = await host.SendAsync(path, clientIp: "198.51.100.9");
        time.Advance(TimeSpan.FromSeconds(45));
        var stillRefused = await host.SendAsync(path);
        time.Advance(TimeSpan.FromSeconds(15));
        var again = await host.SendAsync(path);

        Assert.Equal(429, refused.Response.StatusCode);
        Assert.Equal("60", refused.Response.Headers.RetryAfter.ToString());
        var error = await ErrorAsync(refused);
        Assert.Equal(429, error.GetProperty("code").GetInt32());
        Assert.Contains("at most 3 per 60 seconds", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("application/json; charset=utf-8", refused.Response.ContentType);
        Assert.Equal(200, otherClient.Response.StatusCode);
        Assert.Equal(429, stillRefused.Response.StatusCode);
        Assert.Equal("15", stillRefused.Response.Headers.RetryAfter.ToString());
        Assert.Equal(200, again.Response.StatusCode);
        Assert.All(rejected.GetMeasurementSnapshot(), m => Assert.Equal("rate_limited", m.Tags["clerk.reason"]));
        Assert.Equal(2, rejected.GetMeasurementSnapshot().Count);
        var report = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 72);
        Assert.Contains("more than 3 requests", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TenFailedAuthentications_RefuseEvenTheRightKeysUntilTheWindowEnds()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await FeedHost.StartAsync(time: time);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(403, (await host.SendAsync($"/clerk/product?key={FeedHost.PublicKey}&private_key=guess{i}")).Response.StatusCode);
        }

        var guessed = await host.SendAsync($"/clerk/product?{FeedHost.Keys}");
        var otherClient = await host.SendAsync($"/clerk/product?{FeedHost.Keys}", clientIp: "198.51.100.9");
        time.Advance(TimeSpan.FromMinutes(1));
        var later = await host.SendAsync($"/clerk/product?{FeedHost.Keys}");

        Assert.Equal(429, guessed.Response.StatusCode);
        Assert.Contains("Too many failed authentications", (await ErrorAsync(guessed)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(guessed.Response.Headers.RetryAfter));
        Assert.Equal(200, otherClient.Response.StatusCode);
        Assert.Equal(200, later.Response.StatusCode);
    }

    [Fact]
    public async Task Get_ThroughUseRateLimiter_OverTheLimit_GetsTheSameAnswer()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await FeedHost.StartAsync(o => o.Feeds.PermitLimit = 2, time: time, useRateLimiter: true);
        var path = $"/clerk/product?{FeedHost.Keys}";

        var first = await host.SendAsync(path);
        var second = await host.SendAsync(path);
        var third = await host.SendAsync(path);

        Assert.Equal(200, first.Response.StatusCode);
        Assert.Equal(200, second.Response.StatusCode);
        Assert.Equal(429, third.Response.StatusCode);
        Assert.Equal(429, (await ErrorAsync(third)).GetProperty("code").GetInt32());
    }
}
