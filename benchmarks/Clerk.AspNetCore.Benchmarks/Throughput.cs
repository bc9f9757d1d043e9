using System.Diagnostics;
using System.Globalization;
using Clerk.AspNetCore.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// Delivery throughput to a Clerk emulator on a loopback Kestrel port (<c>dotnet run -c Release -- throughput</c>, or
/// benchmarks/throughput.sh): a Clerk host (AddClerk, server-side sales, ApiBaseUrl = the emulator) tracks N sales
/// and its outbox worker delivers them, through the EF outbox on PostgreSQL and through the in-memory outbox; and N
/// clicks through the in-memory lane. Each scenario runs in a fresh host and emulator, warmed up first; the clock runs
/// from the first track until the emulator has them all. Runs alternate between the scenarios.
/// </summary>
internal static class Throughput
{
    private static readonly ClerkSaleLine[] Lines = Enumerable.Range(0, 3).Select(i => new ClerkSaleLine(1000 + i, 99.95m + i, 1 + i)).ToArray();
    private static readonly string[] Labels = ["Home - New"];

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = Settings.Parse(args);
        Console.WriteLine(
            $"throughput: {settings.Sales:N0} sales, {settings.Clicks:N0} clicks, {settings.Runs} run(s) of [{string.Join(", ", settings.Scenarios)}]; " +
            $"Delivery:MaxConcurrency={settings.MaxConcurrency}, Delivery:OutboxBatchSize={settings.BatchSize}, {settings.Producers} checkouts at once, " +
            $"HttpClient: SocketsHttpHandler MaxConnectionsPerServer={settings.MaxConnections}; {(settings.Pooled ? "AddDbContextPool" : "AddDbContext")}; {Environment.ProcessorCount} cores");

        var results = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var failed = false;
        for (var run = 1; run <= settings.Runs; run++)
        {
            foreach (var scenario in settings.Scenarios)
            {
                var outcome = scenario switch
                {
                    "postgres" => await SalesAsync(settings, StoreKind.PostgreSql, run),
                    "sqlite" => await SalesAsync(settings, StoreKind.Sqlite, run),
                    "memory" => await SalesAsync(settings, StoreKind.InMemory, run),
                    "clicks" => [await ClicksAsync(settings, run)],
                    _ => throw new ArgumentException($"Unknown scenario '{scenario}': postgres, sqlite, memory or clicks."),
                };
                foreach (var result in outcome)
                {
                    Console.WriteLine(result.Line);
                    failed |= !result.Complete;
                    if (!results.TryGetValue(result.Name, out var rates))
                    {
                        results[result.Name] = rates = [];
                    }

                    rates.Add(result.PerSecond);
                }
            }
        }

        Console.WriteLine();
        foreach (var (name, rates) in results)
        {
            var sorted = rates.Order().ToList();
            Console.WriteLine(
                $"summary: {name}: median {sorted[sorted.Count / 2]:N0}/s over {rates.Count} run(s) (min {sorted[0]:N0}, max {sorted[^1]:N0}): {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}");
        }

        return failed ? 1 : 0;
    }

    private static async Task<Result[]> SalesAsync(Settings settings, StoreKind stores, int run)
    {
        var name = stores switch
        {
            StoreKind.PostgreSql => "sales through the PostgreSQL outbox",
            StoreKind.Sqlite => "sales through the SQLite outbox",
            _ => "sales through the in-memory outbox",
        };
        await using var emulator = await Emulator.StartAsync(settings.Sales);
        await using var database = stores == StoreKind.InMemory ? null : await BenchDatabase.CreateAsync(stores);
        PostgresCpu.Port = (database as PostgresBenchDatabase)?.Port;

        // 1. Tracked while the worker delivers, as in a shop: the clock runs from the first track to the last arrival.
        Result overlapped;
        using (var host = ClerkHost(settings, emulator, database))
        {
            await host.StartAsync();
            var tracker = host.Services.GetRequiredService<IClerkTracker>();

            // Warm-up: JIT, connection pools, HTTP connections; then the emulator forgets it.
            var warmup = Math.Min(1_000, settings.Sales);
            await TrackSalesAsync(tracker, $"W{run}", warmup, settings.Producers);
            if (await WaitAsync(() => emulator.State.GetSalesSummary().Distinct, warmup, settings.Timeout) < warmup)
            {
                throw new InvalidOperationException($"{name}: the warm-up's {warmup} sales did not arrive within {settings.Timeout.TotalSeconds} s.");
            }

            emulator.State.Reset();
            var cpu = Cpu.Start();
            var clock = Stopwatch.StartNew();
            await TrackSalesAsync(tracker, $"R{run}", settings.Sales, settings.Producers);
            var tracked = clock.Elapsed;
            var arrived = await WaitAsync(() => emulator.State.GetSalesSummary().Distinct, settings.Sales, settings.Timeout);
            var elapsed = clock.Elapsed;
            var cpuPerSale = cpu.PerItem(arrived);
            var postgres = Postgres(cpu, arrived);
            var summary = emulator.State.GetSalesSummary();
            await host.StopAsync();

            var rate = arrived / elapsed.TotalSeconds;
            var complete = arrived == settings.Sales && summary.Duplicates == 0;
            overlapped = new Result(
                name, rate, complete,
                $"run {run}: {name}: {arrived:N0}/{settings.Sales:N0} in {elapsed.TotalSeconds:0.00} s = {rate:N0} sales/s " +
                $"(tracked in {tracked.TotalSeconds:0.00} s = {settings.Sales / tracked.TotalSeconds:N0}/s while delivering; this process's CPU {cpuPerSale:0} us/sale{postgres}; " +
                $"emulator: received {summary.Received:N0}, duplicates {summary.Duplicates}, failed {summary.Failed}; load {Load()}){(complete ? "" : " INCOMPLETE")}");
        }

        // 2. The two halves apart: N sales tracked while no worker runs (the host is built, not started), then the
        // worker started on that backlog: its delivery rate alone.
        emulator.State.Reset();
        Result backlog;
        using (var host = ClerkHost(settings, emulator, database))
        {
            var tracker = host.Services.GetRequiredService<IClerkTracker>();
            var cpu = Cpu.Start();
            var clock = Stopwatch.StartNew();
            await TrackSalesAsync(tracker, $"B{run}", settings.Sales, settings.Producers);
            var tracked = clock.Elapsed;
            var trackingCpu = cpu.PerItem(settings.Sales);
            var trackingPostgres = Postgres(cpu, settings.Sales);

            cpu = Cpu.Start();
            clock.Restart();
            await host.StartAsync();
            var arrived = await WaitAsync(() => emulator.State.GetSalesSummary().Distinct, settings.Sales, settings.Timeout);
            var elapsed = clock.Elapsed;
            var cpuPerSale = cpu.PerItem(arrived);
            var postgres = Postgres(cpu, arrived);
            var summary = emulator.State.GetSalesSummary();
            await host.StopAsync();

            var rate = arrived / elapsed.TotalSeconds;
            var complete = arrived == settings.Sales && summary.Duplicates == 0;
            backlog = new Result(
                name + ", backlog", rate, complete,
                $"run {run}: {name}, backlog: tracked alone {settings.Sales / tracked.TotalSeconds:N0} sales/s ({tracked.TotalSeconds:0.00} s, CPU {trackingCpu:0} us/sale{trackingPostgres}), " +
                $"then delivered {arrived:N0}/{settings.Sales:N0} in {elapsed.TotalSeconds:0.00} s = {rate:N0} sales/s (this process's CPU {cpuPerSale:0} us/sale{postgres}; " +
                $"duplicates {summary.Duplicates}, failed {summary.Failed}; load {Load()}){(complete ? "" : " INCOMPLETE")}");
        }

        return [overlapped, backlog];
    }

    private static async Task<Result> ClicksAsync(Settings settings, int run)
    {
        const string name = "clicks through the in-memory lane";
        await using var emulator = await Emulator.StartAsync(settings.Clicks);
        using var host = ClerkHost(settings, emulator, database: null);
        await host.StartAsync();
        var tracker = host.Services.GetRequiredService<IClerkTracker>();

        var warmup = Math.Min(5_000, settings.Clicks);
        TrackClicks(tracker, warmup);
        if (await WaitAsync(() => emulator.Clicks, warmup, settings.Timeout) < warmup)
        {
            return new Result(name, 0, false, $"{name}: the warm-up's {warmup} clicks did not arrive within {settings.Timeout.TotalSeconds} s");
        }

        emulator.Reset();

        var cpu = Cpu.Start();
        var clock = Stopwatch.StartNew();
        TrackClicks(tracker, settings.Clicks);
        var tracked = clock.Elapsed;
        var arrived = await WaitAsync(() => emulator.Clicks, settings.Clicks, settings.Timeout);
        var elapsed = clock.Elapsed;
        var cpuPerClick = cpu.PerItem(arrived);
        await host.StopAsync();

        // Checked against the emulator's own record (its cap raised to hold them all), not only the counter.
        var recorded = emulator.State.GetCalls("log/click").Count(c => c.Succeeded);
        var rate = arrived / elapsed.TotalSeconds;
        var complete = arrived == settings.Clicks && recorded == settings.Clicks;
        return new Result(
            name, rate, complete,
            $"run {run}: {name}: {arrived:N0}/{settings.Clicks:N0} in {elapsed.TotalSeconds:0.00} s = {rate:N0} clicks/s " +
            $"(tracked in {tracked.TotalSeconds:0.00} s; this process's CPU {cpuPerClick:0} us/click; emulator recorded {recorded:N0} successful log/click calls; load {Load()}){(complete ? "" : " INCOMPLETE")}");
    }

    private static IHost ClerkHost(Settings settings, Emulator emulator, BenchDatabase? database)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production, DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddClerk(o =>
        {
            o.PublicKey = ClerkEmulatorOptions.DemoPublicKey;
            o.PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
            o.ApiBaseUrl = emulator.ApiBaseUrl;
            o.SaleTracking = ClerkSaleTracking.ServerSide;
            o.Delivery.MaxConcurrency = settings.MaxConcurrency;
            o.Delivery.OutboxBatchSize = settings.BatchSize;

            // Every click of the burst is queued (the default, 10,000, would drop the rest of a burst this size).
            o.Delivery.QueueCapacity = Math.Max(o.Delivery.QueueCapacity, settings.Clicks);
        });
        builder.Services.AddHttpClient(ClerkOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.MaxConnections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });
        if (database is not null)
        {
            if (settings.Pooled)
            {
                builder.Services.AddDbContextPool<BenchDbContext>(database.Configure);
            }
            else
            {
                builder.Services.AddDbContext<BenchDbContext>(database.Configure);
            }

            builder.Services.AddClerkEntityFrameworkStores<BenchDbContext>();
        }

        return builder.Build();
    }

    // Checkouts in parallel, as a shop's requests would track them.
    private static Task TrackSalesAsync(IClerkTracker tracker, string prefix, int count, int producers)
    {
        var next = -1;
        return Parallel.ForEachAsync(Enumerable.Range(0, producers), new ParallelOptions { MaxDegreeOfParallelism = producers }, async (_, _) =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var orderId = string.Create(CultureInfo.InvariantCulture, $"TP-{prefix}-{i}");
                var result = await tracker.TrackSaleAsync(new ClerkSale(orderId, Lines) { Email = "buyer@example.com", Visitor = ClerkVisitor.Of("AbC123xyZ0987654") });
                if (result != ClerkSaleTrackingResult.Queued)
                {
                    throw new InvalidOperationException($"The sale of {orderId} was not queued: {result}.");
                }
            }
        });
    }

    private static void TrackClicks(IClerkTracker tracker, int count)
    {
        for (var i = 0; i < count; i++)
        {
            tracker.TrackClick(100 + (i % 200), Labels, "recommendations/new", i % 24, ClerkVisitor.Of("AbC123xyZ0987654"));
        }
    }

    private static async Task<long> WaitAsync(Func<long> count, long target, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        long seen;
        while ((seen = count()) < target && clock.Elapsed < timeout)
        {
            await Task.Delay(5);
        }

        return seen;
    }

    private static string Postgres(Cpu cpu, long items) =>
        cpu.PostgresPerItem(items) is var perItem and >= 0 ? $", PostgreSQL's {perItem:0} us" : "";

    // The machine's load average (1 and 5 minutes): other work on a shared VM takes cores from the run.
    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(2)) : "n/a";

    /// <summary>This process's CPU time (the Clerk host, its worker, the emulator and Kestrel; not PostgreSQL).</summary>
    private readonly struct Cpu(TimeSpan start, double postgresStart)
    {
        public static Cpu Start() => new(Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu.Seconds());

        public double PerItem(long items) => items == 0 ? 0 : (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMicroseconds / items;

        /// <summary>PostgreSQL's CPU per item, or a negative number when the server is not on this machine.</summary>
        public double PostgresPerItem(long items) =>
            items == 0 || postgresStart < 0 ? -1 : (PostgresCpu.Seconds() - postgresStart) * 1e6 / items;
    }

    /// <summary>
    /// The CPU time of the PostgreSQL server the run uses, from /proc: the postmaster that listens on its port, its
    /// live children (the backends) and the children it has reaped. -1 when it cannot be found (not on this machine).
    /// </summary>
    internal static class PostgresCpu
    {
        public static int? Port { get; set; }

        public static double Seconds()
        {
            try
            {
                if (Port is not { } port || Postmaster(port) is not { } postmaster)
                {
                    return -1;
                }

                var ticks = 0L;
                foreach (var dir in Directory.EnumerateDirectories("/proc"))
                {
                    if (!int.TryParse(Path.GetFileName(dir), out var pid) || Stat(pid) is not { } stat)
                    {
                        continue;
                    }

                    // Fields after the command's closing parenthesis: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.
                    if (pid == postmaster)
                    {
                        ticks += long.Parse(stat[11]) + long.Parse(stat[12]) + long.Parse(stat[13]) + long.Parse(stat[14]);
                    }
                    else if (int.Parse(stat[1]) == postmaster)
                    {
                        ticks += long.Parse(stat[11]) + long.Parse(stat[12]);
                    }
                }

                return ticks / 100.0; // USER_HZ
            }
            catch (IOException)
            {
                return -1;
            }
        }

        private static string[]? Stat(int pid)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{pid}/stat");
                return text[(text.LastIndexOf(')') + 2)..].Split(' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        // The process listening on 127.0.0.1:port, by its socket's inode in /proc/net/tcp.
        private static int? Postmaster(int port)
        {
            var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
            var inode = File.ReadLines("/proc/net/tcp").Skip(1)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f[1].EndsWith(":" + hexPort, StringComparison.Ordinal) && f[3] == "0A")
                .Select(f => f[9]).FirstOrDefault();
            if (inode is null)
            {
                return null;
            }

            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                try
                {
                    foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                    {
                        if (File.ResolveLinkTarget(fd, returnFinalTarget: false)?.FullName.EndsWith($"socket:[{inode}]", StringComparison.Ordinal) == true)
                        {
                            return pid;
                        }
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }

            return null;
        }
    }

    private sealed record Result(string Name, double PerSecond, bool Complete, string Line);

    private sealed class Settings
    {
        public int Sales { get; private set; } = 20_000;

        public int Clicks { get; private set; } = 100_000;

        public int Runs { get; private set; } = 3;

        public int MaxConcurrency { get; private set; } = 16;

        public int BatchSize { get; private set; } = 256;

        public int Producers { get; private set; } = 8;

        public int MaxConnections { get; private set; } = 32;

        public bool Pooled { get; private set; } = true;

        public TimeSpan Timeout { get; private set; } = TimeSpan.FromMinutes(3);

        public string[] Scenarios { get; private set; } = ["postgres", "memory", "clicks"];

        public static Settings Parse(string[] args)
        {
            var settings = new Settings();
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--sales": settings.Sales = Number(value); break;
                    case "--clicks": settings.Clicks = Number(value); break;
                    case "--runs": settings.Runs = Number(value); break;
                    case "--concurrency": settings.MaxConcurrency = Number(value); break;
                    case "--batch": settings.BatchSize = Number(value); break;
                    case "--producers": settings.Producers = Number(value); break;
                    case "--connections": settings.MaxConnections = Number(value); break;
                    case "--timeout": settings.Timeout = TimeSpan.FromSeconds(Number(value)); break;
                    case "--context": settings.Pooled = value switch { "pooled" => true, "scoped" => false, _ => throw new ArgumentException("--context pooled|scoped") }; break;
                    case "--only": settings.Scenarios = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    default: throw new ArgumentException($"Unknown option {args[i]}: --sales, --clicks, --runs, --concurrency, --batch, --producers, --connections, --timeout, --only.");
                }

                i++;
            }

            return settings;
        }

        private static int Number(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The Clerk emulator on a loopback Kestrel port, with a counter of answered <c>log/click</c> calls in front of it
    /// (the emulator's record is a list; counting it while it fills would cost the emulator its lock), and its record
    /// cap raised so that it keeps every call of a run.
    /// </summary>
    private sealed class Emulator : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private long _clicks;

        private Emulator(WebApplication app, Uri apiBaseUrl)
        {
            _app = app;
            ApiBaseUrl = apiBaseUrl;
            State = app.Services.GetRequiredService<ClerkEmulatorState>();
        }

        public Uri ApiBaseUrl { get; }

        public ClerkEmulatorState State { get; }

        public long Clicks => Interlocked.Read(ref _clicks);

        public static async Task<Emulator> StartAsync(int calls)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddClerkEmulator(o =>
            {
                o.AllowOutsideDevelopment = true;
                o.MaxRecordedCalls = calls + 10_000;
            });

            var app = builder.Build();
            Emulator? emulator = null;
            app.Use(async (context, next) =>
            {
                await next(context);
                if (context.Response.StatusCode == StatusCodes.Status200OK && context.Request.Path.Value?.EndsWith("/log/click", StringComparison.Ordinal) == true)
                {
                    Interlocked.Increment(ref emulator!._clicks);
                }
            });
            app.MapClerkEmulator("/");
            await app.StartAsync();

            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            emulator = new Emulator(app, new Uri(address.TrimEnd('/') + "/v2"));
            return emulator;
        }

        public void Reset()
        {
            State.Reset();
            Interlocked.Exchange(ref _clicks, 0);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
