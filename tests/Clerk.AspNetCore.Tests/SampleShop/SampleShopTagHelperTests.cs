using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Clerk.AspNetCore.Tests.TestSupport;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The tag helpers on the sample shop's real pages, rendered in memory and parsed as a browser would.</summary>
public sealed class SampleShopTagHelperTests(SampleShopFactory factory) : IClassFixture<SampleShopFactory>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetHome_UndecidedVisitor_ConfiguresClerkJsWithTheCookielessVisitorInHead()
    {
        var page = await GetPageAsync("/");

        var script = Assert.Single(page.Head!.QuerySelectorAll("script"));
        var config = Hostile.JsonAfter(script.TextContent, "Clerk('config',");
        Assert.Equal("demo-public-key", config.GetProperty("key").GetString());
        Assert.Equal(page.QuerySelector("#visitor-id")!.TextContent, config.GetProperty("visitor").GetString());
        Assert.Equal("Cookieless", page.QuerySelector("#visitor-mode")!.TextContent);
        Assert.Equal("/clerk-emulator/clerk.js", Hostile.JsonAfter(script.TextContent, "e.src=").GetString());
    }

    [Fact]
    public async Task GetHome_DeclinedVisitor_ConfiguresVisitorNull()
    {
        var page = await GetPageAsync("/", cookie: "shop_consent=declined");

        var config = Hostile.JsonAfter(page.Head!.QuerySelector("script")!.TextContent, "Clerk('config',");
        Assert.Equal(JsonValueKind.Null, config.GetProperty("visitor").ValueKind);
    }

    [Fact]
    public async Task GetHome_Blocks_HaveDistinctLabels()
    {
        var page = await GetPageAsync("/");

        var labels = page.QuerySelectorAll("[data-clerk-labels]").Select(e => e.GetAttribute("data-clerk-labels"))
            .Concat(page.QuerySelectorAll("span.clerk[data-labels]").Select(e => e.GetAttribute("data-labels")))
            .Select(json => Assert.Single(Hostile.StringList(json)))
            .ToArray();

        Assert.Equal(["Home - New", "Home - Trending", "Home - Popular"], labels);
    }

    [Fact]
    public async Task GetHome_ServerRenderedBlock_MarksEveryProductWithIdAndPosition()
    {
        var page = await GetPageAsync("/");

        var block = page.QuerySelector("#home-new")!;
        var products = block.QuerySelectorAll("[data-clerk-product-id]");
        Assert.Equal("UL", block.TagName);
        Assert.Equal(4, products.Length);
        Assert.Equal(["0", "1", "2", "3"], products.Select(p => p.GetAttribute("data-clerk-position")));
        Assert.All(products, p => Assert.Equal($"/products/{p.GetAttribute("data-clerk-product-id")}", p.GetAttribute("href")));
        Assert.Empty(page.QuerySelectorAll("[clerk-product-id], [clerk-position], clerk-results, clerk-content"));
    }

    [Fact]
    public async Task GetHome_ClerkBlocks_AreClerksSpans()
    {
        var page = await GetPageAsync("/");

        var trending = page.QuerySelector("#home-trending")!;
        Assert.Equal("SPAN", trending.TagName);
        Assert.Equal("clerk", trending.ClassName);
        Assert.Equal("recommendations/trending", trending.GetAttribute("data-api"));
        Assert.Equal("@home-trending", trending.GetAttribute("data-template"));
        Assert.Equal("4", trending.GetAttribute("data-limit"));
    }

    [Fact]
    public async Task GetProduct_DeclaresTheProductAsContextAndAsksForComplementaryProducts()
    {
        var page = await GetPageAsync("/products/103");

        var context = page.Body!.QuerySelectorAll("script").Select(s => s.TextContent).Single(t => t.StartsWith("Clerk('context'", StringComparison.Ordinal));
        Assert.Equal(103, Hostile.JsonAfter(context, "Clerk('context',").GetProperty("product").GetInt64());
        var complementary = page.QuerySelector("#product-complementary")!;
        Assert.Equal("[103]", complementary.GetAttribute("data-products"));
        Assert.Equal(["Product - Complementary"], Hostile.StringList(complementary.GetAttribute("data-labels")));
    }

    [Fact]
    public async Task GetConfirmation_AfterCheckoutOfAVariant_RendersTheSaleWithParentIdUnitPriceAndQuantity()
    {
        var confirmation = await CheckoutAsync(productId: 103, variantId: 10302, quantity: 2, email: "luke@example.com");

        var page = await GetPageAsync(confirmation);

        var sale = page.QuerySelector("span.clerk[data-api='log/sale']")!;
        Assert.Equal(page.QuerySelector("#order-number")!.TextContent, sale.GetAttribute("data-sale"));
        Assert.Equal("luke@example.com", sale.GetAttribute("data-email"));
        var line = Assert.Single(JsonDocument.Parse(sale.GetAttribute("data-products")!).RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.Number, line.GetProperty("id").ValueKind);
        Assert.Equal(103, line.GetProperty("id").GetInt64());
        Assert.Equal(449.50m, line.GetProperty("price").GetDecimal());
        Assert.Equal(2, line.GetProperty("quantity").GetInt32());
        Assert.Contains(page.Body!.QuerySelectorAll("script"), s => s.TextContent.Contains("Clerk('cart','set',[])", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetConfirmation_DanishShop_ShowsDanishPricesButSendsClerkInvariantOnes()
    {
        var confirmation = await CheckoutAsync(productId: 102, variantId: null, quantity: 1, email: "a@example.com");

        var page = await GetPageAsync(confirmation);

        Assert.Equal("1.299,00 kr.", page.QuerySelector("#order-total")!.TextContent);
        Assert.Contains("\"price\":1299.00", page.QuerySelector("span.clerk")!.GetAttribute("data-products"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetConfirmation_Refreshed_RendersTheSaleOnlyTheFirstTime()
    {
        var confirmation = await CheckoutAsync(productId: 101, variantId: 10101, quantity: 1, email: "a@example.com");

        var first = await GetPageAsync(confirmation);
        var refresh = await GetPageAsync(confirmation);

        Assert.NotNull(first.QuerySelector("span.clerk[data-api='log/sale']"));
        Assert.Null(refresh.QuerySelector("span.clerk[data-api='log/sale']"));
        Assert.Equal(first.QuerySelector("#order-number")!.TextContent, refresh.QuerySelector("#order-number")!.TextContent);
    }

    [Fact]
    public async Task GetConfirmation_100ParallelRequests_ExactlyOneCarriesTheSale()
    {
        var confirmation = await CheckoutAsync(productId: 104, variantId: 10401, quantity: 1, email: "a@example.com");
        var client = factory.CreateVisitorClient();

        var pages = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetStringAsync(confirmation, Cancellation)));

        Assert.All(pages, html => Assert.Contains("id=\"order-number\"", html, StringComparison.Ordinal));
        Assert.Single(pages, html => html.Contains("data-api=\"log/sale\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetConfirmation_DeclinedVisitor_StillRendersTheSale()
    {
        var confirmation = await CheckoutAsync(productId: 105, variantId: null, quantity: 3, email: "a@example.com", cookie: "shop_consent=declined");

        var page = await GetPageAsync(confirmation, cookie: "shop_consent=declined");

        Assert.NotNull(page.QuerySelector("span.clerk[data-api='log/sale']"));
    }

    [Theory]
    [InlineData("productId=103&quantity=0&email=a%40b.dk", "/products/103?error=", "quantity from 1 to 99")]
    [InlineData("productId=103&quantity=10000&email=a%40b.dk", "/products/103?error=", "quantity from 1 to 99")]
    [InlineData("productId=103&quantity=1&email=", "/products/103?error=", "e-mail address")]
    [InlineData("productId=103&variantId=99&quantity=1&email=a%40b.dk", "/products/103?error=", "sizes shown")]
    [InlineData("productId=999&quantity=1&email=a%40b.dk", "/?error=", "does not exist")]
    public async Task PostCheckout_BadInput_SendsTheVisitorBackWithAFriendlyMessage(string form, string location, string message)
    {
        using var content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await factory.CreateVisitorClient().PostAsync("/checkout", content, Cancellation);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var target = response.Headers.Location!.OriginalString;
        Assert.StartsWith(location, target, StringComparison.Ordinal);
        var page = await GetPageAsync(target);
        Assert.Contains(message, page.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
    }

    private async Task<string> CheckoutAsync(long productId, long? variantId, int quantity, string email, string? cookie = null)
    {
        var form = new Dictionary<string, string>
        {
            ["productId"] = productId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["quantity"] = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["email"] = email,
        };
        if (variantId is { } variant)
        {
            form["variantId"] = variant.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/checkout") { Content = new FormUrlEncodedContent(form) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await factory.CreateVisitorClient().SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    private async Task<IDocument> GetPageAsync(string path, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await factory.CreateVisitorClient().SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync(Cancellation));
    }
}
