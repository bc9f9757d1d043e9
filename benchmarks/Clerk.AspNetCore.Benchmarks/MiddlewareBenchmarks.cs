using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// One request through <c>UseClerkTracking()</c>, in process, against the same pipeline without it, and against
/// ASP.NET Core's own CookiePolicy and Session middleware as reference points. Every pipeline ends in a terminal
/// that reads the cookies (the framework's parsing, paid once whoever reads first) and starts the response, so that
/// the cookie work Clerk does as the response starts is measured too. Only the "page reads the visitor" pipeline asks
/// for the visitor, as a page with Clerk markup does; most requests (assets, APIs) never do.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MiddlewareBenchmarks
{
    private const string ReturningCookie = "clerk_visitor=AbC123xyZ0987654";
    private const string HostileCookie = "clerk_visitor=%3Cscript%3Ealert(1)%3C%2Fscript%3E";

    private RequestDelegate _baseline = null!;
    private RequestDelegate _clerk = null!;
    private RequestDelegate _clerkReadByPage = null!;
    private RequestDelegate _clerkCookieless = null!;
    private RequestDelegate _clerkDisabled = null!;
    private RequestDelegate _clerkWithCookiePolicy = null!;
    private RequestDelegate _cookiePolicy = null!;
    private RequestDelegate _session = null!;

    [GlobalSetup]
    public void Setup()
    {
        _baseline = Pipeline(_ => { }, _ => { });
        // A shop without a consent banner that has decided tracking needs no consent says so (the default is Undecided).
        _clerk = Pipeline(s => s.AddClerk(o => { o.PublicKey = "bench"; o.DefaultConsent = ClerkConsent.Granted; }), app => app.UseClerkTracking());
        _clerkReadByPage = Pipeline(
            s => s.AddClerk(o => { o.PublicKey = "bench"; o.DefaultConsent = ClerkConsent.Granted; }),
            app => app.UseClerkTracking(),
            readVisitor: true);
        _clerkCookieless = Pipeline(
            s => s.AddClerk(o => { o.PublicKey = "bench"; o.DefaultConsent = ClerkConsent.Undecided; }),
            app => app.UseClerkTracking());
        _clerkDisabled = Pipeline(
            s => s.AddClerk(o => { o.PublicKey = "bench"; o.DefaultConsent = ClerkConsent.Denied; }),
            app => app.UseClerkTracking());
        _clerkWithCookiePolicy = Pipeline(
            s => s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true).AddClerk(o => o.PublicKey = "bench"),
            app =>
            {
                app.UseCookiePolicy();
                app.UseClerkTracking();
            });
        _cookiePolicy = Pipeline(
            s => s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true),
            app => app.UseCookiePolicy());
        _session = Pipeline(s => s.AddDistributedMemoryCache().AddSession(), app => app.UseSession());
    }

    // Each category compares against its baseline in the same run: the same request through the pipeline without Clerk
    // (or, behind a cookie policy, through CookiePolicyMiddleware alone). Each baseline also runs a second time under
    // another name ("again"): whatever separates those two identical rows is the noise of that run, and a difference
    // no larger is no difference (HotPathReport, benchmarks/hotpath.sh).
    [BenchmarkCategory("1 returning visitor"), Benchmark(Baseline = true, Description = "no middleware")]
    public Task ReturningBaseline() => _baseline(Request(ReturningCookie));

    [BenchmarkCategory("1 returning visitor"), Benchmark(Description = "no middleware, again (noise)")]
    public Task ReturningBaselineAgain() => _baseline(Request(ReturningCookie));

    [BenchmarkCategory("1 returning visitor"), Benchmark(Description = "Clerk")]
    public Task ReturningVisitor() => _clerk(Request(ReturningCookie));

    [BenchmarkCategory("1 returning visitor"), Benchmark(Description = "Clerk, and the page reads the visitor")]
    public Task ReturningVisitorReadByPage() => _clerkReadByPage(Request(ReturningCookie));

    [BenchmarkCategory("2 returning visitor, cookie policy"), Benchmark(Baseline = true, Description = "CookiePolicyMiddleware")]
    public Task CookiePolicy() => _cookiePolicy(Request($"{ReturningCookie}; .AspNet.Consent=yes"));

    [BenchmarkCategory("2 returning visitor, cookie policy"), Benchmark(Description = "CookiePolicyMiddleware, again (noise)")]
    public Task CookiePolicyAgain() => _cookiePolicy(Request($"{ReturningCookie}; .AspNet.Consent=yes"));

    [BenchmarkCategory("2 returning visitor, cookie policy"), Benchmark(Description = "Clerk, shop with a cookie policy")]
    public Task ReturningVisitorWithCookiePolicy() => _clerkWithCookiePolicy(Request($"{ReturningCookie}; .AspNet.Consent=yes"));

    [BenchmarkCategory("3 first visit"), Benchmark(Baseline = true, Description = "no middleware")]
    public Task FirstVisitBaseline() => _baseline(Request(null));

    [BenchmarkCategory("3 first visit"), Benchmark(Description = "no middleware, again (noise)")]
    public Task FirstVisitBaselineAgain() => _baseline(Request(null));

    [BenchmarkCategory("3 first visit"), Benchmark(Description = "Clerk: new visitor (ID + cookie)")]
    public Task NewVisitor() => _clerk(Request(null));

    [BenchmarkCategory("3 first visit"), Benchmark(Description = "Clerk: cookieless (undecided)")]
    public Task Cookieless() => _clerkCookieless(Request(null));

    [BenchmarkCategory("3 first visit"), Benchmark(Description = "Clerk: disabled (declined)")]
    public Task Disabled() => _clerkDisabled(Request(null));

    [BenchmarkCategory("3 first visit"), Benchmark(Description = "SessionMiddleware")]
    public Task Session() => _session(Request(null));

    [BenchmarkCategory("4 first visit, cookie policy"), Benchmark(Baseline = true, Description = "CookiePolicyMiddleware")]
    public Task CookiePolicyUndecided() => _cookiePolicy(Request(null));

    [BenchmarkCategory("4 first visit, cookie policy"), Benchmark(Description = "Clerk: cookieless (undecided), shop with a cookie policy")]
    public Task CookielessWithCookiePolicy() => _clerkWithCookiePolicy(Request(null));

    [BenchmarkCategory("5 hostile cookie"), Benchmark(Baseline = true, Description = "no middleware")]
    public Task HostileBaseline() => _baseline(Request(HostileCookie));

    [BenchmarkCategory("5 hostile cookie"), Benchmark(Description = "Clerk: replaced")]
    public Task Hostile() => _clerk(Request(HostileCookie));

    private HttpContext Request(string? cookie)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(new StartableResponseFeature());
        context.Request.Method = "GET";
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("shop.example");
        context.Request.Path = "/";
        context.Request.Headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0";
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }

        return context;
    }

    private RequestDelegate Pipeline(Action<IServiceCollection> configure, Action<IApplicationBuilder> use, bool readVisitor = false)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IHostEnvironment>(new BenchmarkHostEnvironment());
        configure(services);
        var provider = services.BuildServiceProvider();

        var app = new ApplicationBuilder(provider);
        app.Use((context, next) =>
        {
            context.RequestServices = provider;
            return next(context);
        });
        use(app);
        app.Run(context =>
        {
            _ = context.Request.Cookies.Count;

            // As a page with Clerk markup, or a tracker call, does.
            if (readVisitor && context.GetClerkVisitor() is null)
            {
                throw new InvalidOperationException("UseClerkTracking published no visitor.");
            }

            return ((StartableResponseFeature)context.Features.Get<IHttpResponseFeature>()!).StartAsync();
        });
        return app.Build();
    }

    /// <summary>Keeps <c>OnStarting</c> callbacks and runs them when the response starts, as a server does.</summary>
    private sealed class StartableResponseFeature : HttpResponseFeature
    {
        private (Func<object, Task> Callback, object State)[]? _starting;
        private int _count;

        public override void OnStarting(Func<object, Task> callback, object state)
        {
            _starting ??= new (Func<object, Task>, object)[2];
            _starting[_count++] = (callback, state);
        }

        public async Task StartAsync()
        {
            for (var i = _count - 1; i >= 0; i--)
            {
                await _starting![i].Callback(_starting[i].State);
            }

            _started = true;
        }

        private bool _started;

        public override bool HasStarted => _started;
    }
}
