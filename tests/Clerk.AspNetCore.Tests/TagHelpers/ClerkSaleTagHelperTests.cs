using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using AngleSharp.Dom;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.TagHelpers;

public sealed class ClerkSaleTagHelperTests
{
    private static readonly ClerkSaleLine[] TwoLines = [new(12, 99.95m, 2), new(1546, 14.00m, 1)];

    [Fact]
    public async Task ProcessAsync_Order_RendersClerksSaleSpanWithUnitPricesAndQuantities()
    {
        using var harness = new TagHelperHarness();

        var span = await RenderSpanAsync(harness, Sale(harness, "ORD-1001", TwoLines, email: "luke@example.com", customer: "C-7"));

        Assert.Equal("SPAN", span.TagName);
        Assert.Equal("clerk", span.GetAttribute("class"));
        Assert.Equal("log/sale", span.GetAttribute("data-api"));
        Assert.Equal("ORD-1001", span.GetAttribute("data-sale"));
        Assert.Equal("luke@example.com", span.GetAttribute("data-email"));
        Assert.Equal("C-7", span.GetAttribute("data-customer"));
        var products = JsonDocument.Parse(span.GetAttribute("data-products")!).RootElement;
        Assert.Equal(2, products.GetArrayLength());
        Assert.Equal(JsonValueKind.Number, products[0].GetProperty("id").ValueKind);
        Assert.Equal(12, products[0].GetProperty("id").GetInt64());
        Assert.Equal(99.95m, products[0].GetProperty("price").GetDecimal());
        Assert.Equal(2, products[0].GetProperty("quantity").GetInt32());
        Assert.Equal(1546, products[1].GetProperty("id").GetInt64());
        Assert.Equal(14.00m, products[1].GetProperty("price").GetDecimal());
        Assert.Equal(1, products[1].GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task ProcessAsync_Order_EmptiesClerksCartAfterTheSpan()
    {
        using var harness = new TagHelperHarness();

        var document = TagHelperHarness.Parse(await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale"));

        var script = Assert.Single(document.QuerySelectorAll("script"));
        Assert.Contains("Clerk('cart','set',[])", script.TextContent, StringComparison.Ordinal);
        Assert.Equal("SPAN", script.PreviousElementSibling!.TagName);
    }

    [Fact]
    public async Task ProcessAsync_StringProductIds_StayStrings()
    {
        using var harness = new TagHelperHarness();

        var span = await RenderSpanAsync(harness, Sale(harness, "ORD-1", [new("SKU-12", 5m, 1)]));

        Assert.Equal("[{\"id\":\"SKU-12\",\"price\":5,\"quantity\":1}]", span.GetAttribute("data-products"));
    }

    [Fact]
    public async Task ProcessAsync_DanishCulture_WritesPricesWithADecimalPoint()
    {
        using var harness = new TagHelperHarness();
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("da-DK");
        try
        {
            Assert.Equal("99,95", 99.95m.ToString(CultureInfo.CurrentCulture));

            var span = await RenderSpanAsync(harness, Sale(harness, "ORD-1", [new(12, 1234.5m, 1), new(13, 99.95m, 3)]));

            Assert.Equal("[{\"id\":12,\"price\":1234.5,\"quantity\":1},{\"id\":13,\"price\":99.95,\"quantity\":3}]", span.GetAttribute("data-products"));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task ProcessAsync_SameOrderAgain_RendersNothing()
    {
        using var harness = new TagHelperHarness();
        await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale");
        harness.NewRequest(Visitor.Persistent("AbC123xyZ0987654"));

        var html = await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale");

        Assert.Equal(string.Empty, html);
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 24);
    }

    [Fact]
    public async Task ProcessAsync_OrderRenderedThenRefreshed_CountsOneRenderedAndOneSuppressed()
    {
        using var harness = new TagHelperHarness();
        var meters = harness.Services.GetRequiredService<IMeterFactory>();
        using var rendered = new MetricCollector<long>(meters, ClerkMetrics.MeterName, "clerk.sales.rendered");
        using var suppressed = new MetricCollector<long>(meters, ClerkMetrics.MeterName, "clerk.sales.suppressed");

        await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale");
        Assert.Equal(1, Assert.Single(rendered.GetMeasurementSnapshot()).Value);
        Assert.Empty(suppressed.GetMeasurementSnapshot());

        harness.NewRequest(Visitor.Persistent("AbC123xyZ0987654"));
        await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale");

        Assert.Single(rendered.GetMeasurementSnapshot());
        Assert.Equal(1, Assert.Single(suppressed.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task ProcessAsync_SameOrderAgainInDevelopment_ExplainsInAnEncodedComment()
    {
        using var harness = new TagHelperHarness(environment: "Development");
        const string orderId = "--> <script>alert(1)</script> --!>";
        await harness.RenderAsync(Sale(harness, orderId, TwoLines), "clerk-sale");

        var html = await harness.RenderAsync(Sale(harness, orderId, TwoLines), "clerk-sale");

        var document = TagHelperHarness.Parse(html);
        var comment = Assert.IsAssignableFrom<IComment>(Assert.Single(document.Body!.ChildNodes));
        Assert.Contains("was already sent to Clerk", comment.TextContent, StringComparison.Ordinal);
        Assert.Empty(document.QuerySelectorAll("script"));
    }

    [Fact]
    public async Task ProcessAsync_OtherOrder_RendersItsSale()
    {
        using var harness = new TagHelperHarness();
        await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale");

        var span = await RenderSpanAsync(harness, Sale(harness, "ORD-2", TwoLines));

        Assert.Equal("ORD-2", span.GetAttribute("data-sale"));
    }

    [Fact]
    public async Task ProcessAsync_VisitorDisabled_StillRendersTheSale()
    {
        using var harness = new TagHelperHarness(visitor: Visitor.Disabled());

        var span = await RenderSpanAsync(harness, Sale(harness, "ORD-1", TwoLines));

        Assert.Equal("ORD-1", span.GetAttribute("data-sale"));
    }

    [Fact]
    public async Task ProcessAsync_VisitorDeclined_LeavesEmailAndCustomerOut()
    {
        using var harness = new TagHelperHarness(visitor: Visitor.Disabled());

        var span = await RenderSpanAsync(harness, Sale(harness, "ORD-1", TwoLines, email: "luke@example.com", customer: "C-7"));

        Assert.False(span.HasAttribute("data-email"));
        Assert.False(span.HasAttribute("data-customer"));
    }

    [Fact]
    public async Task ProcessAsync_CookielessVisitor_SendsEmailAndCustomer()
    {
        using var harness = new TagHelperHarness(visitor: Visitor.Cookieless("Serverside0000Id"));

        var span = await RenderSpanAsync(harness, Sale(harness, "ORD-1", TwoLines, email: "luke@example.com", customer: "C-7"));

        Assert.Equal("luke@example.com", span.GetAttribute("data-email"));
        Assert.Equal("C-7", span.GetAttribute("data-customer"));
    }

    [Fact]
    public async Task ProcessAsync_PageFailsAndTheLedgerCannotRelease_LogsSaleLedgerFailedWithoutThrowing()
    {
        using var harness = new TagHelperHarness(services: s => s.AddSingleton<IClerkSaleLedger, UnreleasableLedger>());
        var response = new RecordingResponseFeature();
        harness.HttpContext.Features.Set<IHttpResponseFeature>(response);
        await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale");

        response.StatusCode = StatusCodes.Status500InternalServerError;
        await response.CompleteAsync();

        var failure = Assert.Single(harness.Logs.ClerkRecords(), e => e.Level >= LogLevel.Warning && e.Id.Id != 28);
        Assert.Equal(41, failure.Id.Id);
        Assert.Equal("SaleLedgerFailed", failure.Id.Name);
        Assert.IsType<TimeoutException>(failure.Exception);
        Assert.Contains("release order ORD-1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("stays claimed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_CollectEmailsOff_LeavesTheEmailOut()
    {
        using var harness = new TagHelperHarness(configure: o => o.CollectEmails = false);

        var span = await RenderSpanAsync(harness, Sale(harness, "ORD-1", TwoLines, email: "luke@example.com", customer: "C-7"));

        Assert.False(span.HasAttribute("data-email"));
        Assert.Equal("C-7", span.GetAttribute("data-customer"));
    }

    [Fact]
    public async Task ProcessAsync_NoEmailOrCustomer_LeavesThemOut()
    {
        using var harness = new TagHelperHarness();

        var span = await RenderSpanAsync(harness, Sale(harness, "ORD-1", TwoLines, email: " ", customer: ""));

        Assert.False(span.HasAttribute("data-email"));
        Assert.False(span.HasAttribute("data-customer"));
    }

    [Fact]
    public async Task ProcessAsync_ClerkDisabled_RendersNothingAndClaimsNothing()
    {
        using var harness = new TagHelperHarness(configure: o => o.Enabled = false);

        Assert.Equal(string.Empty, await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale"));
        Assert.True(await harness.Services.GetRequiredService<IClerkSaleLedger>().TryClaimAsync("any-store", "ORD-1", TestContext.Current.CancellationToken));
    }

    public static TheoryData<string?, ClerkSaleLine[]?, string> InvalidSales => new()
    {
        { null, TwoLines, "has no order ID" },
        { "  ", TwoLines, "has no order ID" },
        { "ORD-1", null, "has no lines" },
        { "ORD-1", [], "has no lines" },
        { "ORD-1", [new(12, 10m, 0)], "quantity of 1 or more" },
        { "ORD-1", [new(12, 10m, -3)], "quantity of 1 or more" },
        { "ORD-1", [new(12, -0.01m, 1)], "negative unit price" },
        { "ORD-1", [new(12, 10m, 1), new("13", 10m, 1)], "mixes integer and string product IDs" },
        { "ORD-1", [new(default, 10m, 1)], "has no product ID" },
        { "ORD-1", [null!], "is null" },
    };

    [Theory]
    [MemberData(nameof(InvalidSales))]
    public async Task ProcessAsync_InvalidSaleInDevelopment_ThrowsNamingTheRule(string? orderId, ClerkSaleLine[]? lines, string rule)
    {
        using var harness = new TagHelperHarness(environment: "Development");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.RenderAsync(Sale(harness, orderId, lines), "clerk-sale"));

        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidSales))]
    public async Task ProcessAsync_InvalidSaleInProduction_RendersNothingLogsAndLeavesTheOrderUnclaimed(string? orderId, ClerkSaleLine[]? lines, string rule)
    {
        using var harness = new TagHelperHarness();

        var html = await harness.RenderAsync(Sale(harness, orderId, lines), "clerk-sale");

        Assert.Equal(string.Empty, html);
        var entry = Assert.Single(harness.Logs.ClerkRecords(), e => e.Id.Id == 23);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, entry.Level);
        Assert.Contains(rule, entry.Message, StringComparison.Ordinal);

        // The page is fixed: the same order now sends its sale.
        var fixedSpan = await RenderSpanAsync(harness, Sale(harness, "ORD-1", TwoLines));
        Assert.Equal("ORD-1", fixedSpan.GetAttribute("data-sale"));
    }

    [Fact]
    public async Task ProcessAsync_LedgerFailsInProduction_PageRendersWithoutTheSaleAndTheFailureIsLogged()
    {
        using var harness = new TagHelperHarness(services: s => s.AddSingleton<IClerkSaleLedger, FailingLedger>());

        var html = await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale");

        Assert.Equal(string.Empty, html);
        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 27 && e.Exception is TimeoutException);
    }

    [Fact]
    public async Task ProcessAsync_LedgerFailsInDevelopment_Throws()
    {
        using var harness = new TagHelperHarness(environment: "Development", services: s => s.AddSingleton<IClerkSaleLedger, FailingLedger>());

        await Assert.ThrowsAsync<TimeoutException>(() => harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale"));
    }

    [Fact]
    public async Task ProcessAsync_PageFailsAfterTheSale_ReleasesTheOrderForTheNextRender()
    {
        using var harness = new TagHelperHarness();
        var response = new RecordingResponseFeature();
        harness.HttpContext.Features.Set<IHttpResponseFeature>(response);
        await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale");

        response.StatusCode = StatusCodes.Status500InternalServerError;
        await response.CompleteAsync();

        Assert.Contains(harness.Logs.ClerkRecords(), e => e.Id.Id == 28);
        harness.NewRequest(Visitor.Persistent("AbC123xyZ0987654"));
        Assert.Equal("ORD-1", (await RenderSpanAsync(harness, Sale(harness, "ORD-1", TwoLines))).GetAttribute("data-sale"));
    }

    [Fact]
    public async Task ProcessAsync_PageSucceeds_KeepsTheOrderClaimed()
    {
        using var harness = new TagHelperHarness();
        var response = new RecordingResponseFeature();
        harness.HttpContext.Features.Set<IHttpResponseFeature>(response);
        await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale");

        await response.CompleteAsync();

        Assert.Equal(string.Empty, await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale"));
    }

    [Fact]
    public async Task ProcessAsync_NonceFromOptions_LandsOnTheCartScript()
    {
        using var harness = new TagHelperHarness(configure: o => o.CspNonce = _ => "n\"once");

        var document = TagHelperHarness.Parse(await harness.RenderAsync(Sale(harness, "ORD-1", TwoLines), "clerk-sale"));

        Assert.Equal("n\"once", document.QuerySelector("script")!.GetAttribute("nonce"));
    }

    [Theory]
    [MemberData(nameof(Hostile.Values), MemberType = typeof(Hostile))]
    public async Task ProcessAsync_HostileValues_ParseBackExactly(string hostile)
    {
        using var harness = new TagHelperHarness();

        var span = await RenderSpanAsync(harness, Sale(harness, "o" + hostile, [new("p" + hostile, 1m, 1)], email: "e" + hostile, customer: "c" + hostile));

        Assert.Equal("o" + hostile, span.GetAttribute("data-sale"));
        Assert.Equal(("e" + hostile).Trim(), span.GetAttribute("data-email"));
        Assert.Equal("c" + hostile, span.GetAttribute("data-customer"));
        var products = JsonDocument.Parse(span.GetAttribute("data-products")!).RootElement;
        Assert.Equal("p" + hostile, products[0].GetProperty("id").GetString());
        Assert.Empty(span.Children);
    }

    private static ClerkSaleTagHelper Sale(TagHelperHarness harness, string? orderId, IEnumerable<ClerkSaleLine>? lines, string? email = null, string? customer = null)
    {
        var helper = harness.Create<ClerkSaleTagHelper>();
        helper.OrderId = orderId;
        helper.Lines = lines;
        helper.Email = email;
        helper.Customer = customer;
        return helper;
    }

    private static async Task<IElement> RenderSpanAsync(TagHelperHarness harness, ClerkSaleTagHelper helper)
    {
        var document = TagHelperHarness.Parse(await harness.RenderAsync(helper, "clerk-sale"));
        return document.QuerySelector("span.clerk") ?? throw new Xunit.Sdk.XunitException("No sale span rendered: " + document.Body!.InnerHtml);
    }

    private sealed class FailingLedger : IClerkSaleLedger
    {
        public ValueTask<bool> TryClaimAsync(string store, string orderId, CancellationToken cancellationToken = default) => throw new TimeoutException("store down");

        public ValueTask ReleaseAsync(string store, string orderId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class UnreleasableLedger : IClerkSaleLedger
    {
        public ValueTask<bool> TryClaimAsync(string store, string orderId, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

        public ValueTask ReleaseAsync(string store, string orderId, CancellationToken cancellationToken = default) => throw new TimeoutException("store down");
    }

    private sealed class RecordingResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

        public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

        public async Task CompleteAsync()
        {
            foreach (var (callback, state) in _completed)
            {
                await callback(state);
            }
        }
    }
}
