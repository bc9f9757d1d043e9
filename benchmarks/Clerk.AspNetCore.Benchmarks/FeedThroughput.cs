using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// The product feed end to end over loopback HTTP (<c>dotnet run -c Release -- feeds</c>, or benchmarks/feeds.sh): a
/// shop on Kestrel (<c>AddClerk</c>, <c>AddClerkFeeds().AddProducts&lt;GeneratedProductSource&gt;()</c>,
/// <c>MapClerkFeeds()</c>) and, in the same process, an importer that pages through the whole feed as Clerk's does,
/// reading each page as a stream (a <see cref="Utf8JsonReader"/> over 64 KiB reads, checking that the IDs run 1..N
/// without a gap). The rate is products per second of wall time for the whole import; the memory is the process's
/// peak working set (shop, importer and runtime together), before and after, so a catalog ten times larger shows
/// whether memory grows with it.
/// </summary>
internal static class FeedThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var products = new List<long>();
        var limits = new List<int>();
        var runs = 3;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--products":
                    products.AddRange(args[++i].Split(',').Select(v => long.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture)));
                    break;
                case "--limit":
                    limits.AddRange(args[++i].Split(',').Select(v => int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture)));
                    break;
                case "--runs":
                    runs = int.Parse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}': --products N[,N], --limit N[,N], --runs N.");
            }
        }

        if (products.Count == 0)
        {
            products.Add(100_000);
        }

        if (limits.Count == 0)
        {
            limits.AddRange([1_000, 10_000]);
        }

        await using var shop = await ShopAsync();
        using var client = new HttpClient { BaseAddress = shop.Address, Timeout = TimeSpan.FromMinutes(10) };
        Console.WriteLine($"feeds: {string.Join(", ", products.Select(p => p.ToString("N0", CultureInfo.InvariantCulture)))} products, pages of {string.Join(" and ", limits)}, {runs} run(s) each; {Environment.ProcessorCount} cores; Kestrel on {shop.Address}");

        // Warm-up: the JIT's tiers (it takes a few imports before the hot paths are optimized), the connection, the
        // limiter's partition.
        GeneratedProductSource.Count = 50_000;
        for (var i = 0; i < 3; i++)
        {
            await ImportAsync(client, 50_000, 1_000);
            await ImportAsync(client, 50_000, 10_000);
        }

        var failed = false;
        foreach (var count in products)
        {
            foreach (var limit in limits)
            {
                var rates = new List<double>();
                for (var run = 1; run <= runs; run++)
                {
                    GeneratedProductSource.Count = count;
                    GC.Collect();
                    var before = Process.GetCurrentProcess();
                    var peakBefore = before.PeakWorkingSet64;
                    var allocated = GC.GetTotalAllocatedBytes();
                    var clock = Stopwatch.StartNew();
                    var (items, pages, bytes) = await ImportAsync(client, count, limit);
                    var elapsed = clock.Elapsed;
                    var after = Process.GetCurrentProcess();
                    var rate = items / elapsed.TotalSeconds;
                    rates.Add(rate);
                    failed |= items != count;
                    Console.WriteLine(
                        $"run {run}: {items:N0}/{count:N0} products in {pages} pages of {limit:N0}, {bytes / 1048576.0:0.0} MiB in {elapsed.TotalSeconds:0.00} s = {rate:N0} products/s; " +
                        $"peak working set {peakBefore / 1048576.0:0} MiB before, {after.PeakWorkingSet64 / 1048576.0:0} MiB after (now {after.WorkingSet64 / 1048576.0:0} MiB); " +
                        $"allocated {(GC.GetTotalAllocatedBytes() - allocated) / (double)items:0} B/product (shop and importer){(items == count ? "" : " INCOMPLETE")}");
                }

                var sorted = rates.Order().ToList();
                Console.WriteLine($"summary: {count:N0} products, pages of {limit:N0}: median {sorted[sorted.Count / 2]:N0} products/s (min {sorted[0]:N0}, max {sorted[^1]:N0})");
            }
        }

        return failed ? 1 : 0;
    }

    private static async Task<(long Items, int Pages, long Bytes)> ImportAsync(HttpClient client, long count, int limit)
    {
        long items = 0;
        long bytes = 0;
        var pages = 0;
        var next = 1L;
        var buffer = new byte[64 * 1024];
        for (var page = 1; ; page++)
        {
            using var response = await client.GetAsync(
                $"/clerk/product?key=bench-public-key&private_key=bench-private-key&page={page}&limit={limit}", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var scan = new Scan(next);
            var state = new JsonReaderState();
            var filled = 0;
            while (true)
            {
                var read = await body.ReadAsync(buffer.AsMemory(filled));
                bytes += read;
                filled += read;
                var consumed = scan.Read(buffer.AsSpan(0, filled), read == 0, ref state);
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
                if (read == 0)
                {
                    break;
                }

                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }

            pages++;
            if (scan.Items == 0)
            {
                return (items, pages, bytes);
            }

            items += scan.Items;
            next = scan.Next;
            if (items > count)
            {
                throw new InvalidOperationException($"The feed gave {items} products of {count}.");
            }
        }
    }

    /// <summary>Counts the products of a page as its bytes arrive, and checks that their IDs follow each other.</summary>
    private sealed class Scan(long next)
    {
        private bool _id;

        public long Next { get; private set; } = next;

        public int Items { get; private set; }

        public int Read(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state)
        {
            var reader = new Utf8JsonReader(data, final, state);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2 && reader.ValueTextEquals("id"u8))
                {
                    _id = true;
                }
                else if (_id)
                {
                    _id = false;
                    var id = reader.GetInt64();
                    if (id != Next)
                    {
                        throw new InvalidOperationException($"Expected product {Next}, got {id}: a gap or a duplicate.");
                    }

                    Next++;
                    Items++;
                }
            }

            state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }
    }

    private static async Task<Shop> ShopAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddClerk(o =>
        {
            o.PublicKey = "bench-public-key";
            o.PrivateKey = "bench-private-key";
            o.Feeds.MaxLimit = 10_000;
            o.Feeds.PermitLimit = 100_000;
        });
        builder.Services.AddClerkFeeds().AddProducts<GeneratedProductSource>();
        var app = builder.Build();
        app.MapClerkFeeds();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Shop(app, new Uri(address));
    }

    private sealed class Shop(WebApplication app, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
