using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// Real Razor views (<c>Views/Bench</c>), rendered as MVC renders a view, three of each block that produce the same
/// HTML (checked at setup):
/// <list type="bullet">
/// <item><b>hand-written</b>: the markup a shop writes without the package, values through <c>@Model</c> and
/// <c>@Json.Serialize</c>;</item>
/// <item><b>Razor's floor</b>: the same markup with a tag helper that does nothing (<see cref="FloorTagHelper"/>) on
/// each element Clerk's tag helpers run on, the least any tag helper costs;</item>
/// <item><b>Clerk</b>: the view with Clerk's tag helpers.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class RazorViewBenchmarkBase
{
    private RazorViews _views = null!;
    private BenchPage _page = null!;

    /// <summary>Lines in the sale.</summary>
    public virtual int SaleLines { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _views = new RazorViews(services => services
            // The ledger's own cost is measured in SaleLedgerBenchmarks; here every order is a first render.
            .AddSingleton<IClerkSaleLedger>(new AlwaysFirstLedger())
            .AddClerk(o => o.PublicKey = "bench-public-key"));
        _page = new BenchPage(products: 24, SaleLines);
        foreach (var block in Blocks)
        {
            _views.AssertSameHtml($"{block}ByHand", $"{block}Floor", _page);
            _views.AssertSameHtml($"{block}ByHand", $"{block}Clerk", _page);
        }
    }

    /// <summary>The views this class renders: <c>{block}ByHand</c>, <c>{block}Floor</c> and <c>{block}Clerk</c>.</summary>
    protected abstract string[] Blocks { get; }

    protected Task<string> Render(string view) => _views.RenderAsync(view, _page);

    private sealed class AlwaysFirstLedger : IClerkSaleLedger
    {
        public ValueTask<bool> TryClaimAsync(string store, string orderId, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

        public ValueTask ReleaseAsync(string store, string orderId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}

/// <summary><c>&lt;clerk-script&gt;</c>, and a <c>&lt;clerk-results&gt;</c> block of 24 click-tracked products.</summary>
public class TagHelperBenchmarks : RazorViewBenchmarkBase
{
    protected override string[] Blocks => ["Script", "Results"];

    [BenchmarkCategory("clerk-script"), Benchmark(Baseline = true, Description = "hand-written")]
    public Task<string> ScriptByHand() => Render("ScriptByHand");

    [BenchmarkCategory("clerk-script"), Benchmark(Description = "Razor's floor: a no-op tag helper")]
    public Task<string> ScriptFloor() => Render("ScriptFloor");

    [BenchmarkCategory("clerk-script"), Benchmark(Description = "<clerk-script />")]
    public Task<string> Script() => Render("ScriptClerk");

    [BenchmarkCategory("clerk-results, 24 products"), Benchmark(Baseline = true, Description = "hand-written")]
    public Task<string> ResultsByHand() => Render("ResultsByHand");

    [BenchmarkCategory("clerk-results, 24 products"), Benchmark(Description = "Razor's floor: 25 no-op tag helpers")]
    public Task<string> ResultsFloor() => Render("ResultsFloor");

    [BenchmarkCategory("clerk-results, 24 products"), Benchmark(Description = "<clerk-results> + 24 × clerk-product-id")]
    public Task<string> Results() => Render("ResultsClerk");
}

/// <summary><c>&lt;clerk-sale&gt;</c> with 1, 10 and 100 lines.</summary>
public class SaleTagHelperBenchmarks : RazorViewBenchmarkBase
{
    [Params(1, 10, 100)]
    public override int SaleLines { get; set; } = 1;

    protected override string[] Blocks => ["Sale"];

    [BenchmarkCategory("clerk-sale"), Benchmark(Baseline = true, Description = "hand-written")]
    public Task<string> SaleByHand() => Render("SaleByHand");

    [BenchmarkCategory("clerk-sale"), Benchmark(Description = "Razor's floor: a no-op tag helper")]
    public Task<string> SaleFloor() => Render("SaleFloor");

    [BenchmarkCategory("clerk-sale"), Benchmark(Description = "<clerk-sale>")]
    public Task<string> Sale() => Render("SaleClerk");
}
