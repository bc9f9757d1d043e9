using System.Net;
using Clerk.AspNetCore.Tests.TestSupport;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Visitors;

/// <summary>
/// The midnight grace of cookieless IDs (issue 16, item 4): a visitor active in the last minutes of a UTC day keeps
/// the day's ID for a short while after midnight; nobody else does, and nobody after the grace.
/// </summary>
public sealed class MidnightGraceTests
{
    private static readonly DateTimeOffset At2358 = new(2026, 11, 25, 23, 58, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 11, 25);

    [Fact]
    public async Task CreateAsync_ActiveAt2358_KeepsTheIdAt0003()
    {
        var (factory, time, _, _) = Build();
        var click = await factory.CreateAsync(Request("Buyer/1.0"));

        time.Advance(TimeSpan.FromMinutes(5));
        var sale = await factory.CreateAsync(Request("Buyer/1.0"));

        Assert.Equal(click, sale);
    }

    [Fact]
    public async Task CreateAsync_NotActiveBeforeMidnight_GetsTodaysIdAfterMidnight()
    {
        var (factory, time, salts, _) = Build();
        var yesterdaysSalt = (await salts.GetSaltAsync(Day, CancellationToken.None)).ToArray();
        await factory.CreateAsync(Request("Someone else/1.0"));

        time.Advance(TimeSpan.FromMinutes(5));
        var id = await factory.CreateAsync(Request("Newcomer/1.0"));

        var todaysSalt = (await salts.GetSaltAsync(Day.AddDays(1), CancellationToken.None)).ToArray();
        Assert.Equal(CookielessVisitorIdFactory.Derive(todaysSalt, Ip, "Newcomer/1.0", Host), id);
        Assert.NotEqual(CookielessVisitorIdFactory.Derive(yesterdaysSalt, Ip, "Newcomer/1.0", Host), id);
    }

    [Fact]
    public async Task CreateAsync_ActiveOnlyBeforeTheActivityWindow_GetsTodaysIdAfterMidnight()
    {
        var (factory, time, _, _) = Build(start: new DateTimeOffset(2026, 11, 25, 23, 20, 0, TimeSpan.Zero));
        var early = await factory.CreateAsync(Request("Buyer/1.0"));

        time.Advance(TimeSpan.FromMinutes(45));   // 00:05, never seen in the last 30 minutes of the day
        var after = await factory.CreateAsync(Request("Buyer/1.0"));

        Assert.NotEqual(early, after);
    }

    [Fact]
    public async Task CreateAsync_AfterTheGrace_EveryoneGetsTodaysIdAndYesterdaysSaltIsGone()
    {
        var (factory, time, salts, _) = Build();
        var yesterdaysSalt = (await salts.GetSaltAsync(Day, CancellationToken.None)).ToArray();
        var click = await factory.CreateAsync(Request("Buyer/1.0"));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(click, await factory.CreateAsync(Request("Buyer/1.0")));

        time.Advance(TimeSpan.FromMinutes(30));   // 00:33: the 30-minute grace is over
        var later = await factory.CreateAsync(Request("Buyer/1.0"));

        var todaysSalt = (await salts.GetSaltAsync(Day.AddDays(1), CancellationToken.None)).ToArray();
        Assert.NotEqual(click, later);
        Assert.Equal(CookielessVisitorIdFactory.Derive(todaysSalt, Ip, "Buyer/1.0", Host), later);
        Assert.Equal(todaysSalt, (await salts.GetSaltAsync(Day, CancellationToken.None)).ToArray());
        Assert.NotEqual(yesterdaysSalt, todaysSalt);
    }

    [Fact]
    public async Task CreateAsync_GraceOff_ChangesEveryonesIdAtMidnight()
    {
        var (factory, time, _, _) = Build(configure: o => o.Cookieless.MidnightGrace = TimeSpan.Zero);
        var click = await factory.CreateAsync(Request("Buyer/1.0"));

        time.Advance(TimeSpan.FromMinutes(5));
        var sale = await factory.CreateAsync(Request("Buyer/1.0"));

        Assert.NotEqual(click, sale);
    }

    [Fact]
    public async Task GetSaltAsync_GraceEndsWithoutRequests_ForgetsYesterdaysSaltByTimer()
    {
        var (_, time, salts, _) = Build();
        var yesterdays = (await salts.GetSaltAsync(Day, CancellationToken.None)).ToArray();
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(yesterdays, (await salts.GetSaltAsync(Day, CancellationToken.None)).ToArray());

        time.Advance(TimeSpan.FromMinutes(30));

        // Asked for yesterday during what the store's caller still takes for the grace: a store whose timer has fired
        // has nothing but today's salt left.
        var store = (InMemoryCookielessSaltStore)salts;
        Assert.Null(PreviousSalt(store));
    }

    [Fact]
    public async Task WasActiveAsync_GraceEndsWithoutRequests_ForgetsTheVisitorsByTimer()
    {
        var (_, time, _, grace) = Build();
        grace.RecordActive(Day, "Visitor1234");
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await grace.WasActiveAsync(Day, "Visitor1234", CancellationToken.None));

        time.Advance(TimeSpan.FromMinutes(30));

        Assert.False(await grace.WasActiveAsync(Day, "Visitor1234", CancellationToken.None));
    }

    [Fact]
    public async Task RecordActive_MoreVisitorsThanTheCap_KeepsTheCapAndWarnsOnce()
    {
        var collector = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<InMemoryCookielessGraceStore>(collector);
        using var grace = new InMemoryCookielessGraceStore(new FakeTimeProvider(At2358), Options.Create(new ClerkOptions()), logger);

        for (var i = 0; i < InMemoryCookielessGraceStore.MaxVisitors + 10; i++)
        {
            grace.RecordActive(Day, "V" + i);
        }

        Assert.True(await grace.WasActiveAsync(Day, "V0", CancellationToken.None));
        Assert.False(await grace.WasActiveAsync(Day, "V" + InMemoryCookielessGraceStore.MaxVisitors, CancellationToken.None));
        Assert.Single(collector.GetSnapshot(), r => r.Id.Name == "MidnightGraceFull");
    }

    [Theory]
    [InlineData("MidnightGrace", "02:00:01")]
    [InlineData("MidnightGrace", "-00:00:01")]
    [InlineData("MidnightActivityWindow", "03:00:00")]
    public void Validate_WindowOutOfRange_FailsNamingTheSetting(string setting, string value)
    {
        var options = new ClerkOptions { PublicKey = "key" };
        if (setting == "MidnightGrace")
        {
            options.Cookieless.MidnightGrace = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            options.Cookieless.MidnightActivityWindow = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        var result = new ClerkOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"Clerk:Cookieless:{setting} must be from zero to 2 hours", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_UndecidedVisitorAcrossMidnight_KeepsOneVisitorIdWhileANewcomerGetsTodays()
    {
        var time = new FakeTimeProvider(At2358);
        await using var host = await TrackingHost.StartAsync(
            services: s =>
            {
                s.AddSingleton<TimeProvider>(time);
                s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true);
            },
            beforeTracking: app => app.UseCookiePolicy());

        var click = await host.GetVisitorAsync(headers: ("User-Agent", "Buyer/1.0"));
        time.Advance(TimeSpan.FromMinutes(5));
        var sale = await host.GetVisitorAsync(headers: ("User-Agent", "Buyer/1.0"));
        var newcomer = await host.GetVisitorAsync(headers: ("User-Agent", "Newcomer/1.0"));
        time.Advance(TimeSpan.FromMinutes(30));
        var afterGrace = await host.GetVisitorAsync(headers: ("User-Agent", "Buyer/1.0"));

        Assert.Equal(ClerkVisitorMode.Cookieless, click.Mode);
        Assert.Equal(click.VisitorId, sale.VisitorId);
        Assert.Equal(ClerkVisitorMode.Cookieless, newcomer.Mode);
        Assert.NotEqual(click.VisitorId, afterGrace.VisitorId);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "MidnightGraceKept");
    }

    private static readonly IPAddress Ip = IPAddress.Parse("198.51.100.7");
    private const string Host = "shop.example";

    private static (CookielessVisitorIdFactory Factory, FakeTimeProvider Time, IClerkCookielessSaltStore Salts, IClerkCookielessGraceStore Grace) Build(
        DateTimeOffset? start = null, Action<ClerkOptions>? configure = null)
    {
        var time = new FakeTimeProvider(start ?? At2358);
        var clerk = new ClerkOptions();
        configure?.Invoke(clerk);
        var options = Options.Create(clerk);
        var salts = new InMemoryCookielessSaltStore(time, options);
        var grace = new InMemoryCookielessGraceStore(time, options, NullLogger<InMemoryCookielessGraceStore>.Instance);
        var factory = new CookielessVisitorIdFactory(salts, grace, options, time, NullLogger<CookielessVisitorIdFactory>.Instance);
        return (factory, time, salts, grace);
    }

    private static DefaultHttpContext Request(string userAgent)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = Ip;
        context.Request.Headers.UserAgent = userAgent;
        context.Request.Host = new HostString(Host);
        return context;
    }

    private static byte[]? PreviousSalt(InMemoryCookielessSaltStore store)
    {
        var current = typeof(InMemoryCookielessSaltStore).GetField("_current", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(store)!;
        return (byte[]?)current.GetType().GetField("Previous")!.GetValue(current);
    }
}
