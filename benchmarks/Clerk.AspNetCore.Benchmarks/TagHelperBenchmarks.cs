using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Clerk.AspNetCore.TagHelpers;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// The tag helpers as Razor runs them (context, output, process, write), each against hand-written markup that
/// produces the same HTML: what a shop writes without the package (literal text plus HTML-encoded values).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class TagHelperBenchmarkBase
{
    protected static readonly HtmlEncoder Html = HtmlEncoder.Default;
    protected static readonly JsonSerializerOptions ScriptJson = new() { Encoder = JavaScriptEncoder.Default };

    protected IServiceProvider _services = null!;
    protected HttpContext _http = null!;
    protected ClerkSaleLine[] _lines = [];

    /// <summary>Lines in the sale (set by <see cref="SaleTagHelperBenchmarks"/>).</summary>
    public virtual int SaleLines { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new BenchmarkHostEnvironment());
        // The ledger's own cost is measured in SaleLedgerBenchmarks; here every order is a first render.
        services.AddSingleton<IClerkSaleLedger>(new AlwaysFirstLedger());
        services.AddClerk(o => o.PublicKey = "bench-public-key");
        _services = services.BuildServiceProvider();
        _http = new DefaultHttpContext { RequestServices = _services };
        _http.Features.Set<IClerkVisitorFeature>(new BenchmarkVisitor());
        _lines = Enumerable.Range(0, SaleLines).Select(i => new ClerkSaleLine(1000 + i, 99.95m + i, 1 + (i % 3))).ToArray();
    }

    // The page's view context, which Razor has anyway; made once, as for a page.
    protected ViewContext View() => _view ??= new() { HttpContext = _http };

    private ViewContext? _view;

    protected static string Run(TagHelper helper, string tagName, TagMode mode, TagHelperAttributeList? attributes = null, Func<string>? child = null)
    {
        attributes ??= [];
        var context = new TagHelperContext(tagName, attributes, new Dictionary<object, object>(), "id");
        var output = new TagHelperOutput(tagName, attributes, (_, _) =>
        {
            var content = new DefaultTagHelperContent();
            content.SetHtmlContent(child?.Invoke() ?? string.Empty);
            return Task.FromResult<TagHelperContent>(content);
        })
        { TagMode = mode };
        helper.Init(context);
        helper.ProcessAsync(context, output).GetAwaiter().GetResult();
        if (!output.IsContentModified && child is not null)
        {
            output.Content.SetHtmlContent(child());
        }

        using var writer = new StringWriter();
        output.WriteTo(writer, Html);
        return writer.ToString();
    }

    /// <summary>The least a tag helper can do: rename the element, add an attribute, maybe set fixed content.</summary>
    private sealed class AlwaysFirstLedger : IClerkSaleLedger
    {
        public ValueTask<bool> TryClaimAsync(string orderId, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

        public ValueTask ReleaseAsync(string orderId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    protected sealed class FixedTagHelper(string tagName, string? content) : TagHelper
    {
        public override void Process(TagHelperContext context, TagHelperOutput output)
        {
            output.TagName = tagName;
            output.Attributes.SetAttribute("data-fixed", "1");
            if (content is not null)
            {
                output.Content.SetHtmlContent(content);
            }
        }
    }

    private sealed class BenchmarkVisitor : IClerkVisitorFeature
    {
        public ClerkConsent Consent => ClerkConsent.Granted;

        public ClerkVisitorMode Mode => ClerkVisitorMode.Persistent;

        public string? VisitorId => "AbC123xyZ0987654";

        public bool IsNewVisitor => false;
    }
}

/// <summary><c>&lt;clerk-script&gt;</c> and a <c>&lt;clerk-results&gt;</c> block of 24 click-tracked products.</summary>
public class TagHelperBenchmarks : TagHelperBenchmarkBase
{
    [BenchmarkCategory("clerk-script"), Benchmark(Baseline = true, Description = "hand-written")]
    public string ScriptByHand()
    {
        using var writer = new StringWriter();
        writer.Write("<script>(function(w,d){var e=d.createElement('script');e.type='text/javascript';e.async=true;e.src=");
        writer.Write(JsonSerializer.Serialize(ClerkOptions.DefaultClerkJsUrl, ScriptJson));
        writer.Write(";var s=d.getElementsByTagName('script')[0];s.parentNode.insertBefore(e,s);w.__clerk_q=w.__clerk_q||[];w.Clerk=w.Clerk||function(){w.__clerk_q.push(arguments)};})(window,document);Clerk('config',{\"key\":");
        writer.Write(JsonSerializer.Serialize("bench-public-key", ScriptJson));
        writer.Write(",\"visitor\":");
        writer.Write(JsonSerializer.Serialize(_http.GetClerkVisitor()!.VisitorId, ScriptJson));
        writer.Write("});Clerk('click','*[data-clerk-product-id]');</script>");
        return writer.ToString();
    }

    [BenchmarkCategory("clerk-script"), Benchmark(Description = "Razor's own cost: a tag helper writing a fixed script")]
    public string ScriptFloor() => Run(new FixedTagHelper("script", _fixedScript ??= ScriptByHand()), "clerk-script", TagMode.SelfClosing);

    private string? _fixedScript;

    [BenchmarkCategory("clerk-script"), Benchmark(Description = "<clerk-script />")]
    public string Script()
    {
        var helper = new ClerkScriptTagHelper(_services) { ViewContext = View() };
        return Run(helper, "clerk-script", TagMode.SelfClosing);
    }

    [BenchmarkCategory("clerk-results, 24 products"), Benchmark(Baseline = true, Description = "hand-written")]
    public string ResultsByHand()
    {
        using var writer = new StringWriter();
        writer.Write("<ul class=\"product-grid\" data-clerk-labels='");
        writer.Write(JsonSerializer.Serialize(new[] { "Home - Trending" }, ScriptJson));
        writer.Write("' data-clerk-api=\"recommendations/trending\">");
        for (var i = 0; i < 24; i++)
        {
            writer.Write("<li><a href=\"/products/");
            Html.Encode(writer, (1000 + i).ToString(CultureInfo.InvariantCulture));
            writer.Write("\" data-clerk-product-id=\"");
            Html.Encode(writer, (1000 + i).ToString(CultureInfo.InvariantCulture));
            writer.Write("\" data-clerk-position=\"");
            writer.Write(i.ToString(CultureInfo.InvariantCulture));
            writer.Write("\">Product</a></li>");
        }

        writer.Write("</ul>");
        return writer.ToString();
    }

    [BenchmarkCategory("clerk-results, 24 products"), Benchmark(Description = "Razor's own cost: 25 tag helpers adding fixed attributes")]
    public string ResultsFloor()
    {
        var block = new FixedTagHelper("ul", null);
        return Run(block, "clerk-results", TagMode.StartTagAndEndTag, [new TagHelperAttribute("class", "product-grid")], () =>
        {
            using var writer = new StringWriter();
            for (var i = 0; i < 24; i++)
            {
                var id = (1000 + i).ToString(CultureInfo.InvariantCulture);
                writer.Write("<li>");
                writer.Write(Run(new FixedTagHelper("a", null), "a", TagMode.StartTagAndEndTag, [new TagHelperAttribute("href", "/products/" + id)], () => "Product"));
                writer.Write("</li>");
            }

            return writer.ToString();
        });
    }

    [BenchmarkCategory("clerk-results, 24 products"), Benchmark(Description = "<clerk-results> + 24 × clerk-product-id")]
    public string Results()
    {
        var view = View();
        var block = new ClerkResultsTagHelper(_services) { ViewContext = view, Labels = "Home - Trending", Api = "recommendations/trending", As = "ul" };
        return Run(block, "clerk-results", TagMode.StartTagAndEndTag, [new TagHelperAttribute("class", "product-grid")], () =>
        {
            using var writer = new StringWriter();
            for (var i = 0; i < 24; i++)
            {
                var id = (1000 + i).ToString(CultureInfo.InvariantCulture);
                var product = new ClerkProductTagHelper(_services) { ViewContext = view, ProductId = id, Position = i };
                writer.Write("<li>");
                writer.Write(Run(product, "a", TagMode.StartTagAndEndTag, [new TagHelperAttribute("href", "/products/" + id)], () => "Product"));
                writer.Write("</li>");
            }

            return writer.ToString();
        });
    }
}

/// <summary><c>&lt;clerk-sale&gt;</c> with 1, 10 and 100 lines against hand-written markup.</summary>
public class SaleTagHelperBenchmarks : TagHelperBenchmarkBase
{
    [Params(1, 10, 100)]
    public override int SaleLines { get; set; } = 1;

    [BenchmarkCategory("clerk-sale"), Benchmark(Baseline = true, Description = "hand-written")]
    public string SaleByHand()
    {
        using var writer = new StringWriter();
        writer.Write("<span class=\"clerk\" data-api=\"log/sale\" data-sale=\"");
        Html.Encode(writer, "NG-10001");
        writer.Write("\" data-email=\"");
        Html.Encode(writer, "buyer@example.com");
        writer.Write("\" data-products='");
        writer.Write(JsonSerializer.Serialize(_lines.Select(l => new { id = l.ParentProductId.Number, price = l.UnitPrice, quantity = l.Quantity }), ScriptJson));
        writer.Write("'></span><script>if(window.Clerk){Clerk('cart','set',[]);}</script>");
        return writer.ToString();
    }

    [BenchmarkCategory("clerk-sale"), Benchmark(Description = "<clerk-sale>")]
    public string Sale()
    {
        var helper = new ClerkSaleTagHelper(_services)
        {
            ViewContext = View(),
            OrderId = "NG-10001",
            Email = "buyer@example.com",
            Lines = _lines,
        };
        return Run(helper, "clerk-sale", TagMode.SelfClosing);
    }
}
