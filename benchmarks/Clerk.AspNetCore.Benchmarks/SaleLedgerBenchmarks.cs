using System.Globalization;
using BenchmarkDotNet.Attributes;
using Clerk.AspNetCore.Sales;
using Clerk.AspNetCore.TagHelpers.Markup;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// The once-per-order ledger: a first claim, a repeated claim (a refresh), and claims of the same orders from 8
/// threads at once.
/// </summary>
[MemoryDiagnoser]
public class SaleLedgerBenchmarks
{
    private const int Orders = 1_000;
    private string[] _orderIds = [];
    private InMemorySaleLedger _ledger = null!;

    [GlobalSetup]
    public void Setup()
    {
        _orderIds = Enumerable.Range(0, Orders).Select(i => "NG-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    [IterationSetup]
    public void NewLedger()
    {
        _ledger = new InMemorySaleLedger(Options.Create(new ClerkOptions { PublicKey = "bench" }), TimeProvider.System);
    }

    [Benchmark(OperationsPerInvoke = Orders, Description = "first claim of an order")]
    public async Task FirstClaims()
    {
        foreach (var id in _orderIds)
        {
            await _ledger.TryClaimAsync("store", id);
        }
    }

    [Benchmark(OperationsPerInvoke = Orders * 2, Description = "claim, then a refresh's claim")]
    public async Task RepeatedClaims()
    {
        foreach (var id in _orderIds)
        {
            await _ledger.TryClaimAsync("store", id);
            await _ledger.TryClaimAsync("store", id);
        }
    }

    [Benchmark(OperationsPerInvoke = Orders * 8, Description = "8 threads claiming the same orders")]
    public void ContendedClaims() =>
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            foreach (var id in _orderIds)
            {
                _ledger.TryClaimAsync("store", id).AsTask().GetAwaiter().GetResult();
            }
        });
}

/// <summary>The sale's JSON for <c>data-products</c> (no iteration setup, so many invocations per iteration).</summary>
[MemoryDiagnoser]
public class SaleJsonBenchmarks
{
    private readonly ClerkSaleLine[] _tenLines = Enumerable.Range(0, 10).Select(i => new ClerkSaleLine(1000 + i, 99.95m + i, 1 + (i % 3))).ToArray();

    [Benchmark(Description = "sale JSON, 10 lines (data-products)")]
    public string SaleJson() => MarkupJson.Serialize(_tenLines, MarkupJson.SaleLines);
}
