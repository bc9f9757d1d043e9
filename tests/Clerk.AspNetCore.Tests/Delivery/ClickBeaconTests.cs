using System.Net;
using System.Text;
using System.Text.Json;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary><c>POST /clerk/click</c>: valid clicks go to Clerk with the request's visitor; hostile bodies get 400 and go nowhere.</summary>
public sealed class ClickBeaconTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IAsyncLifetime
{
    private ServerSideHost _host = null!;

    private ClerkEmulatorState Emulator => fixture.Emulator.State;

    public async ValueTask InitializeAsync()
    {
        fixture.Reset();
        _host = await ServerSideHost.StartAsync(fixture.Emulator);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>Waits for the worker to log that Clerk accepted the click, then returns the call Clerk recorded.</summary>
    private async Task<ClerkEmulatorCall> DeliveredClickAsync()
    {
        await _host.Logs.WaitForEventAsync(31, "the click delivered");
        return Assert.Single(Emulator.GetCalls("log/click"));
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string mediaType = "text/plain", string? cookie = "Visitor42", params (string Name, string Value)[] headers)
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/clerk/click") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"clerk_visitor={cookie}");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Post_ValidClick_Answers204AndClerkGetsItWithTheRequestsVisitor()
    {
        using var response = await PostAsync("""{"product":104,"labels":["Home - New"],"api":"recommendations/new","position":3}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var click = await DeliveredClickAsync();
        Assert.True(click.Succeeded, click.ErrorMessage);
        Assert.Equal("Visitor42", click.Visitor);
        Assert.Equal(["Home - New"], click.Labels);
        Assert.Equal(104, click.Arguments.GetProperty("product").GetInt64());
        Assert.Equal("recommendations/new", click.Arguments.GetProperty("api").GetString());
        Assert.Equal(3, click.Arguments.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Post_IntegerProduct_ReachesClerkAsANumber()
    {
        using var response = await PostAsync("""{"product":104,"labels":["Home - New"]}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var click = await DeliveredClickAsync();
        Assert.Equal(JsonValueKind.Number, click.Arguments.GetProperty("product").ValueKind);
        Assert.True(click.Succeeded, click.ErrorMessage);
    }

    [Fact]
    public async Task Post_StringProduct_ReachesClerkAsAStringWhichAnIntegerCatalogRejects()
    {
        using var response = await PostAsync("""{"product":"104","labels":["Home - New"]}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await _host.Logs.WaitForEventAsync(34, "Clerk rejecting the string ID");
        var click = Assert.Single(Emulator.GetCalls("log/click"));
        Assert.Equal("104", click.Arguments.GetProperty("product").GetString());
        Assert.False(click.Succeeded);
    }

    [Fact]
    public async Task Post_VisitorInTheBody_IsIgnored()
    {
        using var response = await PostAsync("""{"product":104,"labels":["Home - New"],"visitor":"Attacker1"}""", "application/json");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var click = await DeliveredClickAsync();
        Assert.Equal("Visitor42", click.Visitor);
        Assert.Empty(Emulator.GetCalls(visitor: "Attacker1"));
    }

    [Fact]
    public async Task Post_VisitorDeclined_SendsTheClickWithVisitorNull()
    {
        using var response = await PostAsync("""{"product":104,"labels":["Home - New"]}""", headers: ("Sec-GPC", "1"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var click = await DeliveredClickAsync();
        Assert.Equal(JsonValueKind.Null, click.Arguments.GetProperty("visitor").ValueKind);
    }

    [Fact]
    public async Task Post_ScriptInALabel_IsCarriedAsDataNotMarkup()
    {
        const string label = "</script><script>alert(1)</script>";
        using var response = await PostAsync(JsonSerializer.Serialize(new { product = 104, labels = new[] { label } }));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var click = await DeliveredClickAsync();
        Assert.Equal([label], click.Labels);
    }

    public static TheoryData<string, string> HostileBodies => new()
    {
        { "", "not a click" },
        { "not json", "not a click" },
        { "[1,2]", "not a click" },
        { """{"product":[104],"labels":["Home - New"]}""", "not a click" },
        { """{"product":{"a":1},"labels":["Home - New"]}""", "not a click" },
        { """{"product":104,"labels":"Home - New"}""", "not a click" },
        { """{"product":104,"labels":[1]}""", "not a click" },
        { """{"product":104,"labels":["Home - New"],"position":"first"}""", "not a click" },
        { """{"product":104,"labels":["Home - New"],"position":-1}""", "position" },
        { """{"product":104,"labels":["Home - New"],"position":1e9}""", "not a click" },
        { """{"product":"","labels":["Home - New"]}""", "not a click" },
        { """{"labels":["Home - New"]}""", "no product" },
        { """{"product":104}""", "no labels" },
        { """{"product":104,"labels":[]}""", "no labels" },
        { """{"product":104,"labels":["  "]}""", "white space" },
        { """{"product":104,"labels":[null]}""", "no labels" },
        { """{"product":104,"labels":["Home - New"],"api":"<script>alert(1)</script>"}""", "not a Clerk endpoint" },
        { """{"product":104,"labels":["a","b","c","d","e","f","g","h","i","j","k"]}""", "over 10 labels" },
        { """{"product":104,"labels":[[[[["deep"]]]]]}""", "not a click" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Post_HostileBody_Answers400WithTheReasonAndTracksNothing(string body, string reason)
    {
        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", problem, StringComparison.Ordinal);
        Assert.Equal(0, _host.Services.GetRequiredService<DeliveryQueue>().Count);
    }

    [Fact]
    public async Task Post_OversizedBody_Answers400()
    {
        var body = JsonSerializer.Serialize(new { product = 104, labels = new[] { "Home - New" }, padding = new string('x', ClickBeacon.MaxBodyBytes) });

        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("over 4096 bytes", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_OversizedBodyWithoutContentLength_Answers400()
    {
        using var client = _host.CreateClient();
        var bytes = Encoding.UTF8.GetBytes("{\"product\":104,\"labels\":[\"" + new string('x', 10_000) + "\"]}");
        using var content = new StreamContent(new NonSeekableStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");

        using var response = await client.PostAsync("/clerk/click", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _host.Services.GetRequiredService<DeliveryQueue>().Count);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Sec-Fetch-Site", "none")]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "https://shop.example")]
    [InlineData("Origin", "http://shop.example:8080")]
    [InlineData("Origin", "null")]
    public async Task Post_FromAnotherOrigin_Answers403AndTracksNothing(string header, string value)
    {
        using var response = await PostAsync("""{"product":104,"labels":["Home - New"]}""", headers: (header, value));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("shop's origin only", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, _host.Services.GetRequiredService<DeliveryQueue>().Count);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Origin", "http://shop.example")]
    [InlineData("Origin", "HTTP://Shop.Example:80")]
    public async Task Post_FromTheShopsOrigin_Answers204(string header, string value)
    {
        using var response = await PostAsync("""{"product":104,"labels":["Home - New"]}""", headers: (header, value));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Post_SameOriginFetchSiteWithAForeignOrigin_FollowsFetchSite()
    {
        using var response = await PostAsync("""{"product":104,"labels":["Home - New"]}""", headers: [("Sec-Fetch-Site", "same-origin"), ("Origin", "http://evil.example")]);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Post_OverThePermitLimit_Answers429WithRetryAfterAndQueuesNothingMore()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.ClickBeacon.PermitLimit = 2, time: time);

        var first = await host.PostClickAsync("203.0.113.7");
        var second = await host.PostClickAsync("203.0.113.7");
        var third = await host.PostClickAsync("203.0.113.7");

        Assert.Equal([204, 204, 429], new[] { first.Response.StatusCode, second.Response.StatusCode, third.Response.StatusCode });
        Assert.Equal("60", third.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task Post_AnotherClientOverTheLimit_DoesNotLimitThisOne()
    {
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.ClickBeacon.PermitLimit = 1);
        await host.PostClickAsync("203.0.113.7");
        await host.PostClickAsync("203.0.113.7");

        var other = await host.PostClickAsync("198.51.100.9");

        Assert.Equal(204, other.Response.StatusCode);
    }

    [Fact]
    public async Task Post_AfterTheWindow_IsAcceptedAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o =>
        {
            o.ClickBeacon.PermitLimit = 1;
            o.ClickBeacon.Window = TimeSpan.FromSeconds(10);
        }, time: time);
        await host.PostClickAsync("203.0.113.7");
        Assert.Equal(429, (await host.PostClickAsync("203.0.113.7")).Response.StatusCode);

        // The accepted click reaches Clerk first: moving the clock past Clerk:ApiTimeout while its call is in flight
        // would time it out, and its retry would wait on the fake clock until the host gave up at shutdown.
        await host.Logs.WaitForEventAsync(31, "the first click delivered");
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(204, (await host.PostClickAsync("203.0.113.7")).Response.StatusCode);
    }

    [Fact]
    public async Task Post_Flood_IsCountedPerClickAndLoggedOncePerInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o =>
        {
            o.ClickBeacon.PermitLimit = 1;
            o.ClickBeacon.Window = TimeSpan.FromHours(1);
        }, time: time);
        using var dropped = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), ClerkMetrics.MeterName, "clerk.delivery.dropped");

        for (var i = 0; i < 11; i++)
        {
            await host.PostClickAsync("203.0.113.7");
        }

        Assert.Equal(10, dropped.GetMeasurementSnapshot().Count(m => Equals(m.Tags["clerk.reason"], "rate_limited")));
        var report = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 43);
        Assert.Equal(LogLevel.Warning, report.Level);

        time.Advance(TimeSpan.FromMinutes(1));
        await host.PostClickAsync("203.0.113.7");

        var reports = host.Logs.ClerkRecords().Where(r => r.Id.Id == 43).ToArray();
        Assert.Equal(2, reports.Length);
        Assert.Contains("refused 10 clicks", reports[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.2", true)]
    [InlineData("203.0.113.7", false)]
    public async Task Post_FloodThroughAProxyWhoseHeadersWereNotApplied_NamesTheProxyAndTheFix(string peer, bool unprocessedProxy)
    {
        // Behind such a proxy every visitor shares its address, so one limit throttles the whole shop: say why.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.ClickBeacon.PermitLimit = 1, time: time);

        for (var i = 0; i < 3; i++)
        {
            await host.PostClickAsync(peer, headers: ("X-Forwarded-For", "198.51.100.23"));
        }

        var report = Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 43);
        Assert.Equal(unprocessedProxy, report.Message.Contains("UseForwardedHeaders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_WithUseRateLimiter_TheMiddlewareAppliesTheClerkPolicyOnce()
    {
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.ClickBeacon.PermitLimit = 2, useRateLimiter: true);

        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await host.PostClickAsync("203.0.113.7")).Response.StatusCode);
        }

        // Counted once per click (by the middleware, not again by the beacon), and refused with Clerk's 429.
        Assert.Equal([204, 204, 429], codes);
        Assert.Contains(host.Logs.ClerkRecords(), r => r.Id.Id == 43);
    }

    [Fact]
    public async Task Post_AppPolicyUnderTheClerkName_ReplacesTheBuiltInLimit()
    {
        await using var host = await ServerSideHost.StartAsync(
            fixture.Emulator,
            o => o.ClickBeacon.PermitLimit = 1,
            services: s => s.AddRateLimiter(r => r.AddPolicy(ClerkClickBeaconOptions.RateLimiterPolicyName, _ => RateLimitPartition.GetNoLimiter("all"))),
            useRateLimiter: true);

        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await host.PostClickAsync("203.0.113.7")).Response.StatusCode);
        }

        Assert.Equal([204, 204, 204], codes);
    }

    [Fact]
    public async Task Post_MediaTypeInCapitals_IsAccepted()
    {
        using var response = await PostAsync("""{"product":104,"labels":["Home - New"]}""", "Application/JSON");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Post_FormContentType_Answers400()
    {
        using var response = await PostAsync("product=104", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_Beacon_IsNotMapped()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync("/clerk/click", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Post_CustomBeaconPath_IsWhereTheBeaconListens()
    {
        await using var host = await ServerSideHost.StartAsync(fixture.Emulator, o => o.BeaconPath = "/shop-api/clicks");
        using var client = host.CreateClient();
        using var content = new StringContent("""{"product":104,"labels":["Home - New"]}""", Encoding.UTF8, "text/plain");

        using var response = await client.PostAsync("/shop-api/clicks", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>A body without a length, as a chunked upload sends it.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
