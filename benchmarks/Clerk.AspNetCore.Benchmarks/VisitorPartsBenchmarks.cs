using BenchmarkDotNet.Attributes;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>The pieces of a new visitor's cost, to see where the time goes.</summary>
[MemoryDiagnoser]
public class VisitorPartsBenchmarks
{
    private static readonly CookieOptions Options = new() { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = true, Path = "/", MaxAge = TimeSpan.FromDays(365), IsEssential = true };

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
}
