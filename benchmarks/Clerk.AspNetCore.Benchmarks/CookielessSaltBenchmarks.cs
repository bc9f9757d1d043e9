using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// The cookieless visitor ID with the day's salt shared through the shop's database (the EF Core salt store, on a
/// SQLite file) against the in-memory salt store, warm: each instance caches the day's salt, so after the first request
/// of the day no request touches the database. Both the ID's derivation alone and the whole middleware for an
/// undecided visitor, one reused request as in <see cref="VisitorPartsBenchmarks"/>. The budget: within 10%.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CookielessSaltBenchmarks
{
    private readonly DefaultHttpContext _request = new();
    private BenchDatabase _database = null!;
    private ServiceProvider _memoryServices = null!;
    private ServiceProvider _sharedServices = null!;
    private CookielessVisitorIdFactory _memory = null!;
    private CookielessVisitorIdFactory _shared = null!;
    private RequestDelegate _memoryPipeline = null!;
    private RequestDelegate _sharedPipeline = null!;

    // Synchronous: the in-process toolchain does not await an async setup or cleanup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _request.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7");
        _request.Request.Headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
        _request.Request.Host = new HostString("shop.example");

        _database = await BenchDatabase.CreateAsync(StoreKind.Sqlite);
        _memoryServices = Services(shared: false);
        _sharedServices = Services(shared: true);
        _memory = _memoryServices.GetRequiredService<CookielessVisitorIdFactory>();
        _shared = _sharedServices.GetRequiredService<CookielessVisitorIdFactory>();
        if (_sharedServices.GetRequiredService<IClerkCookielessSaltStore>().GetType().Name.StartsWith("InMemory", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The shared salt's benchmark runs on the in-memory salt store.");
        }

        _memoryPipeline = Pipeline(_memoryServices);
        _sharedPipeline = Pipeline(_sharedServices);

        // Warm: the day's salt read from the database (and cached) before the first measured request.
        await _shared.CreateAsync(_request);
        await _memory.CreateAsync(_request);
        foreach (var pipeline in new[] { _memoryPipeline, _sharedPipeline })
        {
            var context = new DefaultHttpContext();
            context.Connection.RemoteIpAddress = _request.Connection.RemoteIpAddress;
            context.Request.Headers.UserAgent = _request.Request.Headers.UserAgent;
            context.Request.Host = _request.Request.Host;
            await pipeline(context);
            if (context.GetClerkVisitor()?.Mode != ClerkVisitorMode.Cookieless)
            {
                throw new InvalidOperationException("The benchmark's request does not make a cookieless visitor.");
            }
        }
    }

    private async Task CleanupAsync()
    {
        await _memoryServices.DisposeAsync();
        await _sharedServices.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "cookieless ID, in-memory salt")]
    [BenchmarkCategory("id")]
    public ValueTask<string> InMemorySalt() => _memory.CreateAsync(_request);

    [Benchmark(Description = "cookieless ID, shared salt (EF store, cached)")]
    [BenchmarkCategory("id")]
    public ValueTask<string> SharedSalt() => _shared.CreateAsync(_request);

    [Benchmark(Baseline = true, Description = "undecided visitor: UseClerkTracking, in-memory salt")]
    [BenchmarkCategory("middleware")]
    public Task InMemorySaltMiddleware() => _memoryPipeline(_request);

    [Benchmark(Description = "undecided visitor: UseClerkTracking, shared salt (EF store)")]
    [BenchmarkCategory("middleware")]
    public Task SharedSaltMiddleware() => _sharedPipeline(_request);

    private ServiceProvider Services(bool shared)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IHostEnvironment>(new BenchmarkHostEnvironment())
            .AddClerk(o =>
            {
                o.PublicKey = "bench";
                o.DefaultConsent = ClerkConsent.Undecided;
            });
        if (shared)
        {
            services.AddDbContextPool<BenchDbContext>(_database.Configure);
            services.AddClerkEntityFrameworkStores<BenchDbContext>();
        }

        return services.BuildServiceProvider();
    }

    private static RequestDelegate Pipeline(IServiceProvider services)
    {
        var app = new ApplicationBuilder(services);
        app.UseClerkTracking();
        app.Run(static context =>
        {
            _ = context.Request.Cookies.Count;
            return Task.CompletedTask;
        });
        return app.Build();
    }
}
