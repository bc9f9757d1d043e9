using Clerk.AspNetCore.Tests.TestSupport;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Clerk.AspNetCore.Tests.Visitors;

/// <summary>
/// Behind the cookie policy the visitor feature stands in for the policy's consent feature (issue 20): a request in
/// which the page does not change consent registers no response callback, one in which it does registers exactly one,
/// and the cookie follows the change in the same response.
/// </summary>
public sealed class ConsentWatchingVisitorFeatureTests
{
    private const string ReturningId = "aR9Km32lQx7Tz0Pb";

    [Fact]
    public async Task InvokeAsync_ReturningVisitorBehindCookiePolicy_RegistersNoResponseCallback()
    {
        var pipeline = Pipeline(_ => Task.CompletedTask);

        var request = await pipeline.SendAsync($".AspNet.Consent=yes; clerk_visitor={ReturningId}");

        Assert.Equal(0, request.Response.Registered);
        Assert.Equal(ReturningId, request.Context.GetClerkVisitor()?.VisitorId);
        Assert.Same(request.Context.Features.Get<IClerkVisitorFeature>(), request.Context.Features.Get<ITrackingConsentFeature>());
        Assert.Empty(request.SetCookies);
    }

    [Fact]
    public async Task InvokeAsync_UndecidedVisitorBehindCookiePolicy_RegistersNoResponseCallback()
    {
        var pipeline = Pipeline(_ => Task.CompletedTask);

        var request = await pipeline.SendAsync(cookie: null);

        Assert.Equal(0, request.Response.Registered);
        Assert.Equal(ClerkVisitorMode.Cookieless, request.Context.GetClerkVisitor()?.Mode);
        Assert.Empty(request.SetCookies);
    }

    [Fact]
    public async Task WithdrawConsent_ByThePageTwice_OneCallbackAndTheCookieDeletedInTheSameResponse()
    {
        var pipeline = Pipeline(context =>
        {
            var consent = context.Features.Get<ITrackingConsentFeature>()!;
            consent.WithdrawConsent();
            consent.WithdrawConsent();
            return Task.CompletedTask;
        });

        var request = await pipeline.SendAsync($".AspNet.Consent=yes; clerk_visitor={ReturningId}");

        Assert.Equal(1, request.Response.Registered);
        var visitorCookie = Assert.Single(request.SetCookies, c => c.StartsWith("clerk_visitor=", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", visitorCookie, StringComparison.Ordinal);

        // The policy's own consent cookie went too: the call was passed on.
        Assert.Contains(request.SetCookies, c => c.StartsWith(".AspNet.Consent=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GrantConsent_ByThePageForAnUndecidedVisitor_CookieKeepsTheCookielessId()
    {
        var pipeline = Pipeline(context =>
        {
            context.Features.Get<ITrackingConsentFeature>()!.GrantConsent();
            return Task.CompletedTask;
        });

        var request = await pipeline.SendAsync(cookie: null);

        var cookieless = request.Context.GetClerkVisitor()!;
        Assert.Equal(ClerkVisitorMode.Cookieless, cookieless.Mode);
        Assert.Equal(1, request.Response.Registered);
        Assert.Contains($"clerk_visitor={cookieless.VisitorId};", request.SetCookies.Single(c => c.StartsWith("clerk_visitor=", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(request.SetCookies, c => c.StartsWith(".AspNet.Consent=yes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvokeAsync_AppResolverBesideCookiePolicy_PolicyFeatureLeftAloneAndCallbackRegistered()
    {
        // An app's resolver may change its answer unseen (it reads what the page records), so the response always asks.
        var pipeline = Pipeline(_ => Task.CompletedTask, s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => null)));

        var request = await pipeline.SendAsync($".AspNet.Consent=yes; clerk_visitor={ReturningId}");

        Assert.Equal(1, request.Response.Registered);
        Assert.IsNotType<ConsentWatchingVisitorFeature>(request.Context.Features.Get<ITrackingConsentFeature>());
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Members_StandingInForThePolicy_PassedOn(bool isConsentNeeded, bool hasConsent)
    {
        var policy = new RecordingPolicy(isConsentNeeded, hasConsent);
        var context = new DefaultHttpContext();
        var feature = new ConsentWatchingVisitorFeature(ClerkConsent.Granted, ClerkVisitorMode.Persistent, ReturningId, requestHadCookie: true, policy, context);

        Assert.Equal(isConsentNeeded, feature.IsConsentNeeded);
        Assert.Equal(hasConsent, feature.HasConsent);
        Assert.Equal(!isConsentNeeded || hasConsent, feature.CanTrack);
        Assert.Equal("policy-cookie", feature.CreateConsentCookie());
        Assert.Equal(ConsentSource.CookiePolicy, feature.ConsentSource);
        Assert.True(feature.RequestHadCookie);
        Assert.False(feature.WriteCookie);
    }

    [Fact]
    public void GrantConsent_ContextWithoutTheRequestsServices_PassedOnAndNothingThrown()
    {
        // A context the app made itself (or a call after the request) has no services to find the response's cookie
        // decision in: the page's consent call must still work, and the cookie follows on the next request.
        var policy = new RecordingPolicy(isConsentNeeded: true, hasConsent: false, allowChanges: true);
        var feature = new ConsentWatchingVisitorFeature(ClerkConsent.Undecided, ClerkVisitorMode.Cookieless, ReturningId, requestHadCookie: false, policy, new DefaultHttpContext());

        feature.GrantConsent();
        feature.WithdrawConsent();

        Assert.Equal(["grant", "withdraw"], policy.Calls);
    }

    private static TestPipeline Pipeline(RequestDelegate endpoint, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Production", ApplicationName = "tests" });
        services.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true);
        services.AddClerk(o => o.PublicKey = "test-key");
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();

        var app = new ApplicationBuilder(provider);
        app.Use((context, next) =>
        {
            context.RequestServices = provider;
            return next(context);
        });
        app.UseCookiePolicy();
        app.UseClerkTracking();
        app.Run(endpoint);
        return new TestPipeline(app.Build());
    }

    private sealed class TestPipeline(RequestDelegate pipeline)
    {
        public async Task<SentRequest> SendAsync(string? cookie)
        {
            var context = new DefaultHttpContext();
            var response = new CountingResponseFeature();
            context.Features.Set<IHttpResponseFeature>(response);
            context.Request.Method = "GET";
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("shop.example");
            context.Request.Headers.UserAgent = "Mozilla/5.0";
            context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7");
            if (cookie is not null)
            {
                context.Request.Headers.Cookie = cookie;
            }

            await pipeline(context);
            await response.StartAsync();
            return new SentRequest(context, response);
        }
    }

    private sealed record SentRequest(HttpContext Context, CountingResponseFeature Response)
    {
        public string[] SetCookies => Context.Response.Headers.SetCookie.Select(c => c!).ToArray();
    }

    /// <summary>Counts <c>OnStarting</c> registrations, and runs them when the response starts, as a server does.</summary>
    private sealed class CountingResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];
        private bool _started;

        public int Registered => _starting.Count;

        public override bool HasStarted => _started;

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public async Task StartAsync()
        {
            for (var i = _starting.Count - 1; i >= 0; i--)
            {
                await _starting[i].Callback(_starting[i].State);
            }

            _started = true;
        }
    }

    private sealed class RecordingPolicy(bool isConsentNeeded, bool hasConsent, bool allowChanges = false) : ITrackingConsentFeature
    {
        public List<string> Calls { get; } = [];

        public bool IsConsentNeeded => isConsentNeeded;

        public bool HasConsent => hasConsent;

        public bool CanTrack => !isConsentNeeded || hasConsent;

        public void GrantConsent() => Record("grant");

        public void WithdrawConsent() => Record("withdraw");

        private void Record(string call)
        {
            if (!allowChanges)
            {
                throw new NotSupportedException();
            }

            Calls.Add(call);
        }

        public string CreateConsentCookie() => "policy-cookie";
    }
}
