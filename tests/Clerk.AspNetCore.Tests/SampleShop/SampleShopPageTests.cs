using System.Net;
using System.Text.Json;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SampleShop.Data;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The sample shop's pages and route contract, with the tag helpers on them, rendered in memory.</summary>
public sealed class SampleShopPageTests(SampleShopPageTests.PageSalesShop factory) : IClassFixture<SampleShopPageTests.PageSalesShop>
{
    /// <summary>
    /// The sample shop with its sales sent by the confirmation page (<c>Clerk:SaleTracking=ClientSide</c>), so these
    /// tests see the <c>&lt;clerk-sale&gt;</c> markup a real page carries. With the default,
    /// <c>ServerSideWithClientFallback</c>, the server sends the sale at checkout and the page renders it only for an
    /// order the server did not send (SampleShopSaleTrackingTests).
    /// </summary>
    public sealed class PageSalesShop : SampleShopFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Clerk:SaleTracking", "ClientSide");
        }
    }

    private static readonly Product Beanie = CatalogGenerator.Generate().SelectMany(c => c.Products).Single(p => p.Id == 1005);

    private SampleShopClient Shopper() => new(factory.CreateShopperClient());

    [Theory]
    [InlineData("/")]
    [InlineData("/products/1005")]
    [InlineData("/categories/3")]
    [InlineData("/search?q=wool")]
    [InlineData("/search")]
    [InlineData("/cart")]
    [InlineData("/checkout")]
    [InlineData("/privacy")]
    public async Task Get_RouteContract_Answers200WithClerkJsInHead(string path)
    {
        var page = await Shopper().GetPageAsync(path);

        Assert.Contains("Clerk('config',", page.Head!.QuerySelector("script")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#emulator-link"));
    }

    [Theory]
    [InlineData("/products/999999")]
    [InlineData("/categories/99")]
    [InlineData("/orders/NG-0/confirmation")]
    public async Task Get_UnknownThing_Answers404(string path) => await Shopper().GetPageAsync(path, HttpStatusCode.NotFound);

    [Theory]
    [InlineData("TRACE", "/products/1005")]
    [InlineData("TRACE", "/orders/NG-0/confirmation")]
    [InlineData("OPTIONS", "/search?q=wool")]
    [InlineData("OPTIONS", "/categories/3")]
    public async Task Page_MethodWithoutAHandler_Answers405NotAServerError(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await factory.CreateVisitorClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("PUT", "/products/1005")]
    [InlineData("DELETE", "/categories/3")]
    [InlineData("PATCH", "/")]
    [InlineData("PROPFIND", "/privacy")]
    public async Task Page_UnsafeMethodWithoutAHandler_IsRefusedBeforeThePageRuns(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await factory.CreateVisitorClient().SendAsync(request, TestContext.Current.CancellationToken);

        // Razor Pages checks antiforgery on unsafe methods first (400); a page never renders without its data.
        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public void Catalog_IsGeneratedWithAtLeast200ProductsWithVariants()
    {
        var products = CatalogGenerator.Generate().SelectMany(c => c.Products).ToArray();

        Assert.True(products.Length >= 200);
        Assert.Equal(products.Length, products.Select(p => p.Id).Distinct().Count());
        Assert.All(products, p => Assert.All(p.Variants, v => Assert.Equal(p.Id, v.ProductId)));
        Assert.Equal(
            CatalogGenerator.Generate().SelectMany(c => c.Products).Select(p => (p.Id, p.Name, p.Price)),
            products.Select(p => (p.Id, p.Name, p.Price)));
    }

    [Fact]
    public void Catalog_FeedFields_AreDeterministicWithSalesAndProductsOutOfStock()
    {
        var products = CatalogGenerator.Generate(includeHostileProducts: true).SelectMany(c => c.Products).ToArray();

        Assert.Equal(products.Length, products.Select(p => p.Sku).Distinct(StringComparer.Ordinal).Count());
        Assert.All(products, p => Assert.NotEqual(p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Sku));
        Assert.Contains(products, p => p.OnSale);
        Assert.Contains(products, p => !p.OnSale);
        Assert.All(products.Where(p => p.ListPrice is not null), p => Assert.True(p.ListPrice > p.Price));
        Assert.Contains(products, p => p.Stock == 0);
        Assert.All(products, p => Assert.True(p.Stock >= 0));
        Assert.All(products, p => Assert.InRange(p.CreatedAt, CatalogGenerator.CatalogEpoch, CatalogGenerator.CatalogEpoch.AddYears(1)));
        Assert.Equal(
            CatalogGenerator.Generate(includeHostileProducts: true).SelectMany(c => c.Products).Select(p => (p.Id, p.Sku, p.ListPrice, p.Stock, p.CreatedAt)),
            products.Select(p => (p.Id, p.Sku, p.ListPrice, p.Stock, p.CreatedAt)));
    }

    [Fact]
    public async Task GetProduct_SaysWhetherItIsInStockAndShowsASalesListPrice()
    {
        var catalog = CatalogGenerator.Generate().SelectMany(c => c.Products).ToArray();
        var outOfStock = catalog.First(p => p.Stock == 0);
        var onSale = catalog.First(p => p.OnSale && p.InStock);

        var soldOut = await Shopper().GetPageAsync($"/products/{outOfStock.Id}");
        var sale = await Shopper().GetPageAsync($"/products/{onSale.Id}");

        Assert.Equal("Out of stock", soldOut.QuerySelector("#product-stock")!.TextContent);
        Assert.Null(soldOut.QuerySelector("#product-list-price"));
        Assert.Equal("In stock", sale.QuerySelector("#product-stock")!.TextContent);
        Assert.Equal(onSale.ListPrice!.Value.ToString("C", System.Globalization.CultureInfo.GetCultureInfo("da-DK")), sale.QuerySelector("#product-list-price del")!.TextContent);
        Assert.Equal(onSale.Price.ToString("C", System.Globalization.CultureInfo.GetCultureInfo("da-DK")), sale.QuerySelector("#product-price")!.TextContent);
    }

    [Fact]
    public async Task GetHome_UndecidedVisitor_ConfiguresClerkJsWithTheCookielessVisitorInHead()
    {
        var page = await Shopper().GetPageAsync("/");

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
        var shopper = Shopper();
        await shopper.PostAsync("/consent/decline");

        var page = await shopper.GetPageAsync("/");

        var config = Hostile.JsonAfter(page.Head!.QuerySelector("script")!.TextContent, "Clerk('config',");
        Assert.Equal(JsonValueKind.Null, config.GetProperty("visitor").ValueKind);
    }

    [Fact]
    public async Task GetHome_Blocks_HaveDistinctLabels()
    {
        var page = await Shopper().GetPageAsync("/");

        var labels = page.QuerySelectorAll("span.clerk[data-labels]").Select(e => e.GetAttribute("data-labels"))
            .Concat(page.QuerySelectorAll("[data-clerk-labels]").Select(e => e.GetAttribute("data-clerk-labels")))
            .Select(json => Assert.Single(Hostile.StringList(json)))
            .ToArray();

        Assert.Equal(["Home - Trending", "Home - Popular", "Home - New"], labels);
    }

    [Fact]
    public async Task GetHome_ServerRenderedBlock_MarksEveryProductWithIdAndPosition()
    {
        var page = await Shopper().GetPageAsync("/");

        var block = page.QuerySelector("#home-new")!;
        var products = block.QuerySelectorAll("[data-clerk-product-id]");
        Assert.Equal("UL", block.TagName);
        Assert.Equal(4, products.Length);
        Assert.Equal(["0", "1", "2", "3"], products.Select(p => p.GetAttribute("data-clerk-position")));
        Assert.All(products, p => Assert.Equal($"/products/{p.GetAttribute("data-clerk-product-id")}", p.GetAttribute("href")));
        Assert.Empty(page.QuerySelectorAll("[clerk-product-id], [clerk-position], clerk-results, clerk-content, clerk-context"));
    }

    [Fact]
    public async Task GetProduct_DeclaresTheProductAsContextAndAsksForComplementaryProducts()
    {
        var page = await Shopper().GetPageAsync("/products/1005");

        var context = page.Body!.QuerySelectorAll("script").Select(s => s.TextContent).Single(t => t.StartsWith("Clerk('context'", StringComparison.Ordinal));
        Assert.Equal(1005, Hostile.JsonAfter(context, "Clerk('context',").GetProperty("product").GetInt64());
        var complementary = page.QuerySelector("#product-complementary")!;
        Assert.Equal("[1005]", complementary.GetAttribute("data-products"));
        Assert.Equal(["Product - Complementary"], Hostile.StringList(complementary.GetAttribute("data-labels")));
        Assert.Equal(Beanie.Name, page.QuerySelector("#product-name")!.TextContent);
    }

    [Fact]
    public async Task GetCategory_DeclaresTheCategoryAndListsItsProducts()
    {
        var page = await Shopper().GetPageAsync("/categories/3");

        var context = page.Body!.QuerySelectorAll("script").Select(s => s.TextContent).Single(t => t.StartsWith("Clerk('context'", StringComparison.Ordinal));
        Assert.Equal(3, Hostile.JsonAfter(context, "Clerk('context',").GetProperty("category").GetInt32());
        Assert.Equal(CatalogGenerator.ProductsPerCategory, page.QuerySelectorAll("#category-products li").Length);
        Assert.Empty(page.QuerySelectorAll("#category-products [data-clerk-product-id]"));
        Assert.Equal("3", page.QuerySelector("#category-popular")!.GetAttribute("data-category"));
    }

    [Fact]
    public async Task GetSearch_ShowsClerksResultsClickTrackedWithTheSearchLabel()
    {
        var page = await Shopper().GetPageAsync("/search?q=wool");

        var results = page.QuerySelector("#search-results")!;
        Assert.Equal(["Search - Page"], Hostile.StringList(results.GetAttribute("data-clerk-labels")));
        Assert.NotEmpty(results.QuerySelectorAll("[data-clerk-product-id]"));
        Assert.All(results.QuerySelectorAll(".product-name"), name => Assert.Contains("wool", name.TextContent, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GetSearch_TooLongQuery_SaysSoInsteadOfFailing()
    {
        var page = await Shopper().GetPageAsync("/search?q=" + new string('a', 500));

        Assert.Contains("at most 100 characters", page.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cart_AddChangeRemove_KeepsClerksCartInStep()
    {
        var shopper = Shopper();
        await shopper.AddToCartAsync(1005, 100502, 2);
        await shopper.AddToCartAsync(1010, 101001, 1);

        var page = await shopper.GetPageAsync("/cart");
        Assert.Equal("Clerk('cart','set',[1005,1010]);", CartScript(page));
        Assert.Equal("3", page.QuerySelector("#cart-count")!.TextContent);
        var lines = page.QuerySelectorAll("#cart-lines tbody tr").Select(r => r.GetAttribute("data-line")!).ToArray();

        Assert.Equal("/cart", await shopper.PostAsync("/cart/update", ("lineId", lines[0]), ("quantity", "5")));
        Assert.Equal("6", (await shopper.GetPageAsync("/cart")).QuerySelector("#cart-count")!.TextContent);

        Assert.Equal("/cart", await shopper.PostAsync("/cart/remove", ("lineId", lines[0])));
        page = await shopper.GetPageAsync("/cart");
        Assert.Equal("Clerk('cart','set',[1010]);", CartScript(page));
    }

    [Fact]
    public async Task GetConfirmation_AfterCheckoutOfAVariant_RendersTheSaleWithParentIdUnitPriceAndQuantity()
    {
        var shopper = Shopper();
        var confirmation = await shopper.BuyAsync(1005, 100502, 2, "luke@example.com", createAccount: false);

        var page = await shopper.GetPageAsync(confirmation);

        var sale = page.QuerySelector("span.clerk[data-api='log/sale']")!;
        Assert.Equal(page.QuerySelector("#order-number")!.TextContent, sale.GetAttribute("data-sale"));
        Assert.Equal("luke@example.com", sale.GetAttribute("data-email"));
        Assert.False(sale.HasAttribute("data-customer"));
        var line = Assert.Single(JsonDocument.Parse(sale.GetAttribute("data-products")!).RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.Number, line.GetProperty("id").ValueKind);
        Assert.Equal(1005, line.GetProperty("id").GetInt64());
        Assert.Equal(Beanie.Price, line.GetProperty("price").GetDecimal());
        Assert.Equal(2, line.GetProperty("quantity").GetInt32());
        Assert.Contains(page.Body!.QuerySelectorAll("script"), s => s.TextContent.Contains("Clerk('cart','set',[])", StringComparison.Ordinal));
        Assert.Equal("0", page.QuerySelector("#cart-count")!.TextContent);
    }

    [Fact]
    public async Task Checkout_Order_KeepsTheClerkVisitorOfCheckout()
    {
        var shopper = Shopper();
        var visitor = (await shopper.GetPageAsync("/")).QuerySelector("#visitor-id")!.TextContent;
        var confirmation = await shopper.BuyAsync(1006, 100601, 1);

        using var scope = factory.Services.CreateScope();
        var number = confirmation.Split('/')[2];
        var order = scope.ServiceProvider.GetRequiredService<ShopDbContext>().Orders.Single(o => o.Number == number);

        Assert.Equal(visitor, order.ClerkVisitorId);
        Assert.Equal("Cookieless", order.ClerkVisitorMode);
    }

    [Fact]
    public async Task Checkout_WithAccount_SendsTheCustomerId()
    {
        var shopper = Shopper();
        var confirmation = await shopper.BuyAsync(1005, 100501, 1, "account@example.com", createAccount: true);

        var sale = (await shopper.GetPageAsync(confirmation)).QuerySelector("span.clerk")!;

        Assert.Matches("^[0-9]+$", sale.GetAttribute("data-customer")!);
    }

    [Fact]
    public async Task GetConfirmation_DanishShop_ShowsDanishPricesButSendsClerkInvariantOnes()
    {
        var shopper = Shopper();
        var confirmation = await shopper.BuyAsync(1005, 100501, 1);

        var page = await shopper.GetPageAsync(confirmation);

        Assert.Equal(Beanie.Price.ToString("C", System.Globalization.CultureInfo.GetCultureInfo("da-DK")), page.QuerySelector("#order-total")!.TextContent);
        Assert.Contains(",", page.QuerySelector("#order-total")!.TextContent, StringComparison.Ordinal);
        var price = JsonDocument.Parse(page.QuerySelector("span.clerk")!.GetAttribute("data-products")!).RootElement[0].GetProperty("price");
        Assert.Equal(JsonValueKind.Number, price.ValueKind);
    }

    [Fact]
    public async Task GetConfirmation_Refreshed_RendersTheSaleOnlyTheFirstTime()
    {
        var shopper = Shopper();
        var confirmation = await shopper.BuyAsync(1001, 100101, 1);

        var first = await shopper.GetPageAsync(confirmation);
        var refresh = await shopper.GetPageAsync(confirmation);

        Assert.NotNull(first.QuerySelector("span.clerk[data-api='log/sale']"));
        Assert.Null(refresh.QuerySelector("span.clerk[data-api='log/sale']"));
        Assert.Equal(first.QuerySelector("#order-number")!.TextContent, refresh.QuerySelector("#order-number")!.TextContent);
    }

    [Fact]
    public async Task GetConfirmation_100ParallelRequests_ExactlyOneCarriesTheSale()
    {
        var shopper = Shopper();
        var confirmation = await shopper.BuyAsync(1004, 100401, 1);
        var client = shopper.Http;

        var pages = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetStringAsync(confirmation, TestContext.Current.CancellationToken)));

        Assert.All(pages, html => Assert.Contains("id=\"order-number\"", html, StringComparison.Ordinal));
        Assert.Single(pages, html => html.Contains("data-api=\"log/sale\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetConfirmation_AnotherBrowser_Answers404AndClaimsNothing()
    {
        var buyer = Shopper();
        var confirmation = await buyer.BuyAsync(1007, 100701, 1);

        await Shopper().GetPageAsync(confirmation, HttpStatusCode.NotFound);

        Assert.NotNull((await buyer.GetPageAsync(confirmation)).QuerySelector("span.clerk[data-api='log/sale']"));
    }

    [Theory]
    [InlineData("/?error=%3Cb%3EYou%20won%3C%2Fb%3E")]
    [InlineData("/?error=0")]
    [InlineData("/cart?error=Call%20us")]
    public async Task Get_ErrorThatIsNotAShopMessage_ShowsNothing(string path)
    {
        var page = await Shopper().GetPageAsync(path);

        Assert.Null(page.QuerySelector("[role=alert]"));
    }

    [Fact]
    public async Task PostCheckout_CreateAccountForAnEmailWithAnAccount_DoesNotLinkTheOrderToIt()
    {
        var first = Shopper();
        var firstSale = (await first.GetPageAsync(await first.BuyAsync(1008, 100801, 1, "taken@example.com", createAccount: true))).QuerySelector("span.clerk")!;
        var second = Shopper();

        var secondSale = (await second.GetPageAsync(await second.BuyAsync(1008, 100801, 1, "taken@example.com", createAccount: true))).QuerySelector("span.clerk")!;

        Assert.True(firstSale.HasAttribute("data-customer"));
        Assert.False(secondSale.HasAttribute("data-customer"));
    }

    [Fact]
    public async Task PostCheckout_TwiceForOneCart_PlacesOneOrder()
    {
        var shopper = Shopper();
        await shopper.AddToCartAsync(1009, 100901, 1);

        var targets = await Task.WhenAll(
            shopper.PostAsync("/checkout", ("email", "a@example.com")),
            shopper.PostAsync("/checkout", ("email", "a@example.com")));

        Assert.Single(targets, t => t.EndsWith("/confirmation", StringComparison.Ordinal));
        Assert.Single(targets, t => t.StartsWith("/cart?error=CartEmpty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetConfirmation_DeclinedVisitor_StillRendersTheSale()
    {
        var shopper = Shopper();
        await shopper.PostAsync("/consent/decline");
        var confirmation = await shopper.BuyAsync(1003, 100301, 3);

        var page = await shopper.GetPageAsync(confirmation);

        Assert.NotNull(page.QuerySelector("span.clerk[data-api='log/sale']"));
    }

    [Theory]
    [InlineData("productId=1005&variantId=100501&quantity=0", "/products/1005?error=", "quantity from 1 to 99")]
    [InlineData("productId=1005&variantId=100501&quantity=10000", "/products/1005?error=", "quantity from 1 to 99")]
    [InlineData("productId=1005&variantId=100501&quantity=abc", "/products/1005?error=", "quantity from 1 to 99")]
    [InlineData("productId=1005&quantity=1", "/products/1005?error=", "Choose a size")]
    [InlineData("productId=1005&variantId=100601&quantity=1", "/products/1005?error=", "sizes and colours shown")]
    [InlineData("productId=999999&quantity=1", "/products/999999?error=", null)]
    [InlineData("productId=x&quantity=1", "/?error=", "does not exist")]
    [InlineData("", "/?error=", "does not exist")]
    public async Task PostCartAdd_BadInput_SendsTheVisitorBackWithAFriendlyMessage(string form, string location, string? message)
    {
        var token = await ShopFormToken.FetchAsync(factory.CreateVisitorClient());
        var withToken = $"{form}{(form.Length == 0 ? "" : "&")}{ShopFormToken.FieldName}={Uri.EscapeDataString(token.Value)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cart/add")
        {
            Content = new StringContent(withToken, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("Cookie", token.Cookie);
        using var response = await factory.CreateVisitorClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var target = response.Headers.Location!.OriginalString;
        Assert.StartsWith(location, target, StringComparison.Ordinal);
        if (message is not null)
        {
            var page = await Shopper().GetPageAsync(target);
            Assert.Contains(message, page.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-email")]
    [InlineData("@example.com")]
    public async Task PostCheckout_BadEmail_SendsTheVisitorBackWithAFriendlyMessage(string email)
    {
        var shopper = Shopper();
        await shopper.AddToCartAsync(1005, 100501, 1);

        var target = await shopper.PostAsync("/checkout", ("email", email));

        Assert.StartsWith("/checkout?error=", target, StringComparison.Ordinal);
        Assert.Contains("e-mail address", (await shopper.GetPageAsync(target)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", (await shopper.GetPageAsync("/cart")).QuerySelector("#cart-count")!.TextContent);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/privacy")]
    [InlineData("/products/1005")]
    [InlineData("/cart")]
    [InlineData("/checkout")]
    public async Task Get_PostForms_CarryTheAntiforgeryToken(string path)
    {
        var shopper = Shopper();
        await shopper.AddToCartAsync(1005, 100501, 1);

        var forms = (await shopper.GetPageAsync(path)).QuerySelectorAll("form[method=post]");

        Assert.NotEmpty(forms);
        Assert.All(forms, form => Assert.NotEmpty(form.QuerySelector($"input[name={ShopFormToken.FieldName}]")?.GetAttribute("value") ?? ""));
    }

    [Fact]
    public async Task PostCartAdd_WithoutToken_Answers400AndAddsNothing()
    {
        var shopper = Shopper();

        using var response = await shopper.SendFormAsync("/cart/add", withToken: false, ("productId", "1005"), ("variantId", "100501"), ("quantity", "1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("0", (await shopper.GetPageAsync("/cart")).QuerySelector("#cart-count")!.TextContent);
    }

    [Fact]
    public async Task PostCartUpdateAndRemove_WithoutToken_Answer400AndChangeNothing()
    {
        var shopper = Shopper();
        await shopper.AddToCartAsync(1005, 100501, 2);
        var line = (await shopper.GetPageAsync("/cart")).QuerySelector("form[action='/cart/remove'] input[name=lineId]")!.GetAttribute("value")!;

        using var update = await shopper.SendFormAsync("/cart/update", withToken: false, ("lineId", line), ("quantity", "9"));
        using var remove = await shopper.SendFormAsync("/cart/remove", withToken: false, ("lineId", line));

        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, remove.StatusCode);
        Assert.Equal("2", (await shopper.GetPageAsync("/cart")).QuerySelector("#cart-count")!.TextContent);
    }

    [Fact]
    public async Task PostCheckout_WithoutToken_Answers400AndPlacesNoOrder()
    {
        var shopper = Shopper();
        await shopper.AddToCartAsync(1005, 100501, 1);

        using var response = await shopper.SendFormAsync("/checkout", withToken: false, ("email", "victim@example.com"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("1", (await shopper.GetPageAsync("/cart")).QuerySelector("#cart-count")!.TextContent);
    }

    [Fact]
    public async Task PostCheckout_EmptyCart_SendsTheVisitorToTheCart()
    {
        var target = await Shopper().PostAsync("/checkout", ("email", "a@example.com"));

        Assert.StartsWith("/cart?error=", target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetProductImage_IsAnSvgDrawnForTheProduct()
    {
        using var response = await factory.CreateVisitorClient().GetAsync("/images/products/1005.svg", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
    }

    private static string CartScript(AngleSharp.Dom.IDocument page) =>
        page.Body!.QuerySelectorAll("script").Select(s => s.TextContent).Single(t => t.StartsWith("Clerk('cart'", StringComparison.Ordinal));
}
