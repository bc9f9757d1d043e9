using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// The pieces of the middleware's cost, to see where the time goes. The returning and cookieless visitor rows run one
/// request object again and again, as Kestrel reuses its per-connection context, so that building a new request (and
/// its garbage) does not drown a difference of a few nanoseconds.
/// </summary>
[MemoryDiagnoser]
public class VisitorPartsBenchmarks
{
    private static readonly CookieOptions Options = new() { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = true, Path = "/", MaxAge = TimeSpan.FromDays(365), IsEssential = true };

    private readonly DefaultHttpContext _returning = new();
    private readonly DefaultHttpContext _cookieless = new();
    private readonly DefaultHttpContext _returningWithConsent = new();
    private RequestDelegate _policyPassThrough = null!;
    private RequestDelegate _policyClerk = null!;
    private RequestDelegate _passThrough = null!;
    private RequestDelegate _clerk = null!;
    private RequestDelegate _clerkUndecided = null!;
    private RequestDelegate _clerkResolver = null!;

    [GlobalSetup]
    public void Setup()
    {
        _returning.Request.Headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0";
        _returning.Request.Headers.Cookie = "clerk_visitor=AbC123xyZ0987654";
        Cookieless(_cookieless);
        _passThrough = Pipeline(app => app.Use((context, next) => next(context)));
        _clerk = Pipeline(app => app.UseClerkTracking());
        _clerkUndecided = Pipeline(app => app.UseClerkTracking(), ClerkConsent.Undecided);
        _clerkResolver = Pipeline(app => app.UseClerkTracking(), resolver: new GrantingResolver());

        // Behind the cookie policy (issue 20): the policy and a pass-through, against the policy and Clerk.
        _returningWithConsent.Request.Headers.UserAgent = _returning.Request.Headers.UserAgent;
        _returningWithConsent.Request.Headers.Cookie = "clerk_visitor=AbC123xyZ0987654; .AspNet.Consent=yes";
        _policyPassThrough = Pipeline(app => app.UseCookiePolicy().Use((context, next) => next(context)), cookiePolicy: true);
        _policyClerk = Pipeline(app => app.UseCookiePolicy().UseClerkTracking(), cookiePolicy: true);

        ExpectVisitor(_clerk, ClerkVisitorMode.Persistent, context => context.Request.Headers.Cookie = _returning.Request.Headers.Cookie);
        ExpectVisitor(_policyClerk, ClerkVisitorMode.Persistent, context => context.Request.Headers.Cookie = _returningWithConsent.Request.Headers.Cookie);
        ExpectVisitor(_clerkResolver, ClerkVisitorMode.Persistent, context => context.Request.Headers.Cookie = _returning.Request.Headers.Cookie);
        ExpectVisitor(_clerkUndecided, ClerkVisitorMode.Cookieless, Cookieless);
    }

    // An undecided visitor without cookies, as a browser sends it: an address, a User-Agent and a host.
    private static void Cookieless(HttpContext context)
    {
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7");
        context.Request.Headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
        context.Request.Host = new HostString("shop.example");
    }

    // Checked on a request of its own: reading the visitor publishes the feature, which the reused requests must not have.
    private static void ExpectVisitor(RequestDelegate pipeline, ClerkVisitorMode mode, Action<HttpContext> request)
    {
        var context = new DefaultHttpContext();
        request(context);
        pipeline(context).GetAwaiter().GetResult();
        if (context.GetClerkVisitor()?.Mode != mode)
        {
            throw new InvalidOperationException($"The benchmark's request does not make a {mode} visitor.");
        }
    }

    [Benchmark(Description = "returning visitor: a pass-through middleware (reference)")]
    public Task PassThrough() => _passThrough(_returning);

    [Benchmark(Description = "returning visitor: UseClerkTracking")]
    public Task ClerkTracking() => _clerk(_returning);

    [Benchmark(Description = "returning visitor: UseClerkTracking, consent from an app resolver")]
    public Task ClerkTrackingWithResolver() => _clerkResolver(_returning);

    [Benchmark(Description = "returning visitor, cookie policy: the policy and a pass-through (reference)")]
    public Task CookiePolicyPassThrough() => _policyPassThrough(_returningWithConsent);

    [Benchmark(Description = "returning visitor, cookie policy: the policy and UseClerkTracking")]
    public Task CookiePolicyClerkTracking() => _policyClerk(_returningWithConsent);

    [Benchmark(Description = "cookieless visitor: a pass-through middleware (reference)")]
    public Task CookielessPassThrough() => _passThrough(_cookieless);

    [Benchmark(Description = "cookieless visitor: UseClerkTracking")]
    public Task CookielessClerkTracking() => _clerkUndecided(_cookieless);

    [Benchmark(Description = "VisitorId.NewId (16 chars, CSPRNG)")]
    public string NewId() => VisitorId.NewId();

    [Benchmark(Description = "Response.Cookies.Append (framework)")]
    public void AppendCookie()
    {
        var context = new DefaultHttpContext();
        context.Response.Cookies.Append("clerk_visitor", "AbC123xyZ0987654", Options);
    }

    [Benchmark(Description = "new DefaultHttpContext (reference)")]
    public object Context() => new DefaultHttpContext();

    private static RequestDelegate Pipeline(
        Action<IApplicationBuilder> use, ClerkConsent defaultConsent = ClerkConsent.Granted, IClerkConsentResolver? resolver = null, bool cookiePolicy = false)
    {
        var services = new ServiceCollection();
        if (cookiePolicy)
        {
            services.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true);
        }

        services
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IHostEnvironment>(new BenchmarkHostEnvironment())
            .AddClerk(o =>
            {
                o.PublicKey = "bench";
                o.DefaultConsent = defaultConsent;
            });
        if (resolver is not null)
        {
            services.AddSingleton(resolver);
        }

        var provider = services.BuildServiceProvider();
        var app = new ApplicationBuilder(provider);
        use(app);

        // As in MiddlewareBenchmarks: what comes after reads the cookies, so the feature caches that publishing a
        // feature invalidates are paid for here.
        app.Run(static context =>
        {
            _ = context.Request.Cookies.Count;
            return Task.CompletedTask;
        });
        return app.Build();
    }

    // A consent management platform's answer, read from the request alone: the cheapest resolver there is.
    private sealed class GrantingResolver : IClerkConsentResolver
    {
        public ClerkConsent? ResolveConsent(HttpContext context) => ClerkConsent.Granted;
    }
}
