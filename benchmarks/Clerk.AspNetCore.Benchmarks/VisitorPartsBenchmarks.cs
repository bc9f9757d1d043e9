using BenchmarkDotNet.Attributes;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// The pieces of the middleware's cost, to see where the time goes. The returning-visitor rows run one request
/// object again and again, as Kestrel reuses its per-connection context, so that building a new request (and its
/// garbage) does not drown a difference of a few nanoseconds.
/// </summary>
[MemoryDiagnoser]
public class VisitorPartsBenchmarks
{
    private static readonly CookieOptions Options = new() { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = true, Path = "/", MaxAge = TimeSpan.FromDays(365), IsEssential = true };

    private readonly DefaultHttpContext _returning = new();
    private RequestDelegate _passThrough = null!;
    private RequestDelegate _clerk = null!;

    [GlobalSetup]
    public void Setup()
    {
        _returning.Request.Headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0";
        _returning.Request.Headers.Cookie = "clerk_visitor=AbC123xyZ0987654";
        _passThrough = Pipeline(app => app.Use((context, next) => next(context)));
        _clerk = Pipeline(app => app.UseClerkTracking());
    }

    [Benchmark(Description = "returning visitor: a pass-through middleware (reference)")]
    public Task PassThrough() => _passThrough(_returning);

    [Benchmark(Description = "returning visitor: UseClerkTracking")]
    public Task ClerkTracking() => _clerk(_returning);

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

    private static RequestDelegate Pipeline(Action<IApplicationBuilder> use)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IHostEnvironment>(new BenchmarkHostEnvironment())
            .AddClerk(o => o.PublicKey = "bench");
        var app = new ApplicationBuilder(services.BuildServiceProvider());
        use(app);

        // As in MiddlewareBenchmarks: what comes after reads the cookies, so the feature caches that publishing a
        // feature invalidates are paid for here.
        app.Run(static context => context.Request.Cookies.Count > 0 ? Task.CompletedTask : throw new InvalidOperationException("No cookie."));
        return app.Build();
    }
}
