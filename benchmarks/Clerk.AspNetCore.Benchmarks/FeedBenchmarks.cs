using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Clerk.AspNetCore.Feeds;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// The product feed's cost per product: <see cref="FeedItemWriter"/> alone (the JSON of one product, URLs made
/// absolute, the description reduced to text), and a page of 1,000 through the feed endpoint in process (arguments,
/// keys, the source's async stream, the JSON onto the response's pipe; no network, the body discarded). Both per
/// product (<c>OperationsPerInvoke</c>). The end-to-end rate over loopback HTTP is <c>feeds</c> (benchmarks/feeds.sh).
/// </summary>
[MemoryDiagnoser]
public class FeedBenchmarks
{
    private const int PageSize = 1_000;

    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private ClerkFeedProduct[] _products = [];
    private ServiceProvider _services = null!;
    private FeedEndpoint _endpoint = null!;
    private FeedWriteContext _context;

    [GlobalSetup]
    public void Setup()
    {
        _products = Enumerable.Range(1, PageSize).Select(i => GeneratedProductSource.Product(i)).ToArray();
        _context = new FeedWriteContext(new Uri("https://shop.example/"), CollectEmails: true);

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IHostEnvironment>(new BenchmarkHostEnvironment());
        services.AddClerk(o =>
        {
            o.PublicKey = "bench-public-key";
            o.PrivateKey = "bench-private-key";
            o.Feeds.PermitLimit = 100_000;
        });
        services.AddClerkFeeds().AddProducts<GeneratedProductSource>();
        _services = services.BuildServiceProvider();
        _endpoint = _services.GetRequiredService<FeedEndpoint>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(OperationsPerInvoke = PageSize)]
    public long WriteProduct()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        writer.WriteStartArray();
        foreach (var product in _products)
        {
            FeedItemWriter.WriteProduct(writer, product, _context);
        }

        writer.WriteEndArray();
        writer.Flush();
        return writer.BytesCommitted;
    }

    [Benchmark(OperationsPerInvoke = PageSize)]
    public async Task<int> ServePageOf1000()
    {
        await using var scope = _services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("shop.example");
        context.Request.Path = "/clerk/product";
        context.Request.QueryString = new QueryString($"?key=bench-public-key&private_key=bench-private-key&page=3&limit={PageSize}");
        context.Response.Body = Stream.Null;
        await _endpoint.HandleAsync(context, FeedKinds.Product);
        return context.Response.StatusCode;
    }
}
