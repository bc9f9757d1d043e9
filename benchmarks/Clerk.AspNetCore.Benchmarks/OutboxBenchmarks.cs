using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// The outbox's cost per sale: <c>TrackSaleAsync</c> (3 lines: checked, claimed in the ledger, written to the outbox)
/// with the in-memory stores, and with the EF Core stores on SQLite (a temporary file) and on PostgreSQL (a loopback
/// server: <c>CLERK_BENCH_POSTGRES</c> / <c>CLERK_TEST_POSTGRES</c>, or one started through scripts/postgres.sh); and
/// the delivery worker's own outbox work per sale, leasing due sales in batches of 64 (the default batch) and marking
/// them sent. Outside a request, as here, the EF stores write on a fresh scope's context, each write committing at once:
/// a claim and an outbox row are two round trips. The tables are emptied before each iteration.
/// </summary>
[MemoryDiagnoser]
public class OutboxBenchmarks
{
    private const int Sales = 200;
    private const int Batch = 64;
    private const string Store = "bench-public-key";

    private ServiceProvider _services = null!;
    private BenchDatabase? _database;
    private IClerkTracker _tracker = null!;
    private IClerkOutbox _outbox = null!;
    private ClerkSaleLine[] _lines = [];
    private string[] _orderIds = [];
    private int _round;

    [ParamsSource(nameof(AllStores))]
    public StoreSetup Stores { get; set; }

    // The EF stores with the context pooled (AddDbContextPool, as the package's README advises), and PostgreSQL once
    // more with a plain AddDbContext, whose every store operation outside a request builds a context afresh.
    public static IEnumerable<StoreSetup> AllStores() =>
    [
        new(StoreKind.InMemory, Pooled: false),
        new(StoreKind.Sqlite, Pooled: true),
        new(StoreKind.PostgreSql, Pooled: true),
        new(StoreKind.PostgreSql, Pooled: false),
    ];

    // Synchronous: the in-process toolchain does not await an async setup or cleanup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IHostEnvironment>(new BenchmarkHostEnvironment());
        services.AddClerk(o =>
        {
            o.PublicKey = Store;
            o.SaleTracking = ClerkSaleTracking.ServerSide;
        });
        if (Stores.Kind != StoreKind.InMemory)
        {
            var database = _database = await BenchDatabase.CreateAsync(Stores.Kind);
            if (Stores.Pooled)
            {
                services.AddDbContextPool<BenchDbContext>(database.Configure);
            }
            else
            {
                services.AddDbContext<BenchDbContext>(database.Configure);
            }

            services.AddClerkEntityFrameworkStores<BenchDbContext>();
        }

        _services = services.BuildServiceProvider(); // no host: no worker drains the outbox but the benchmark
        _tracker = _services.GetRequiredService<IClerkTracker>();
        _outbox = _services.GetRequiredService<IClerkOutbox>();
        _lines = Enumerable.Range(0, 3).Select(i => new ClerkSaleLine(1000 + i, 99.95m + i, 1 + i)).ToArray();
    }

    private async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [IterationSetup(Target = nameof(TrackSales))]
    public void BeforeTrack() => Empty().GetAwaiter().GetResult();

    [IterationSetup(Target = nameof(LeaseAndMarkSent))]
    public void BeforeLease()
    {
        Empty().GetAwaiter().GetResult();
        TrackSales().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Sales, Description = "TrackSaleAsync, 3 lines: check, claim, outbox write")]
    public async Task TrackSales()
    {
        foreach (var orderId in _orderIds)
        {
            var result = await _tracker.TrackSaleAsync(new ClerkSale(orderId, _lines) { Email = "buyer@example.com", Visitor = ClerkVisitor.Of("AbC123xyZ0987654") });
            if (result != ClerkSaleTrackingResult.Queued)
            {
                throw new InvalidOperationException($"The sale of {orderId} was not queued: {result}.");
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Sales, Description = "worker's outbox work: lease 64 at a time, mark sent")]
    public async Task LeaseAndMarkSent()
    {
        var total = 0;
        IReadOnlyList<ClerkOutboxMessage> leased;
        while ((leased = await _outbox.LeaseAsync(Store, Batch, TimeSpan.FromMinutes(1))).Count > 0)
        {
            await _outbox.MarkSentAsync(leased);
            total += leased.Count;
        }

        if (total != Sales)
        {
            throw new InvalidOperationException($"Leased {total} sales, not {Sales}.");
        }
    }

    // New order IDs (a claimed order is not sent twice) and an empty outbox and ledger.
    private async Task Empty()
    {
        var round = (++_round).ToString(CultureInfo.InvariantCulture);
        _orderIds = Enumerable.Range(0, Sales).Select(i => $"NG-{round}-{i.ToString(CultureInfo.InvariantCulture)}").ToArray();
        if (_database is not null)
        {
            await _database.ClearAsync();
            return;
        }

        IReadOnlyList<ClerkOutboxMessage> leased;
        while ((leased = await _outbox.LeaseAsync(Store, 1_000, TimeSpan.FromMinutes(1))).Count > 0)
        {
            await _outbox.MarkSentAsync(leased);
        }
    }
}

/// <summary>
/// Where a benchmark keeps Clerk's state, and whether the EF context is pooled (<c>AddDbContextPool</c>) or a new one per
/// scope (<c>AddDbContext</c>, "scoped").
/// </summary>
public readonly record struct StoreSetup(StoreKind Kind, bool Pooled)
{
    public override string ToString() => Kind switch
    {
        StoreKind.InMemory => "in memory",
        StoreKind.Sqlite => Pooled ? "SQLite pooled" : "SQLite scoped",
        _ => Pooled ? "PostgreSQL pooled" : "PostgreSQL scoped",
    };
}
