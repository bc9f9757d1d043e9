using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;

/// <summary>
/// One instance of a shop (its own service provider) over a test database: the EF stores for one Clerk store, a
/// fake clock, logs in a <see cref="FakeLogCollector"/> and every database command counted. Several instances over
/// one database are a web farm.
/// </summary>
public sealed class ClerkInstance : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public ClerkInstance(TestDatabase database, FakeTimeProvider time, string store, Action<IServiceCollection>? configure = null, bool pooled = false)
    {
        Store = store;
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        services.AddSingleton<TimeProvider>(time);
        services.Configure<ClerkOptions>(o => o.PublicKey = store);
        if (pooled)
        {
            services.AddDbContextPool<ShopContext>(options =>
            {
                database.Configure(options);
                options.AddInterceptors(Commands);
            });
        }
        else
        {
            services.AddDbContext<ShopContext>(options =>
            {
                database.Configure(options);
                options.AddInterceptors(Commands);
            });
        }

        services.AddClerkEntityFrameworkStores<ShopContext>();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public string Store { get; }

    public IServiceProvider Services => _services;

    public CommandLog Commands { get; } = new();

    public FakeLogCollector Logs => _services.GetFakeLogCollector();

    public IClerkOutbox Outbox => _services.GetRequiredService<IClerkOutbox>();

    public IClerkSaleLedger Ledger => _services.GetRequiredService<IClerkSaleLedger>();

    public IClerkCookielessSaltStore Salts => _services.GetRequiredService<IClerkCookielessSaltStore>();

    /// <summary>
    /// A request: a scope whose services are the current HttpContext's, as ASP.NET Core sets them up. Synchronous on
    /// purpose: the accessor's value flows to the caller only when set outside an async method.
    /// </summary>
    public Request BeginRequest()
    {
        var scope = _services.CreateAsyncScope();
        var accessor = _services.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        return new Request(scope, accessor);
    }

    /// <summary>A context of its own, outside any request.</summary>
    public AsyncServiceScope NewScope(out ShopContext context)
    {
        var scope = _services.CreateAsyncScope();
        context = scope.ServiceProvider.GetRequiredService<ShopContext>();
        return scope;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    public sealed class Request(AsyncServiceScope scope, IHttpContextAccessor accessor) : IAsyncDisposable
    {
        public ShopContext Context => scope.ServiceProvider.GetRequiredService<ShopContext>();

        public async ValueTask DisposeAsync()
        {
            accessor.HttpContext = null;
            await scope.DisposeAsync();
        }
    }
}

/// <summary>Every command the instance's contexts sent to the database.</summary>
public sealed class CommandLog : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> _commands = new();

    public int CountTouching(string table) => _commands.Count(c => c.Contains(table, StringComparison.Ordinal));

    /// <summary>The commands sent so far, in order.</summary>
    public IReadOnlyList<string> All => [.. _commands];

    public void Clear() => _commands.Clear();

    public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        _commands.Enqueue(result.CommandText);
        return result;
    }
}
