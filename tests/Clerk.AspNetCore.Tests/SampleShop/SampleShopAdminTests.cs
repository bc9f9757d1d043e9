using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Net.Http.Headers;
using SampleShop.Admin;
using SampleShop.Data;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The sample shop's admin pages (<c>/admin/products/{id}</c>), enabled by <c>Admin:Key</c> and protected by it.</summary>
public sealed class SampleShopAdminTests(SampleShopAdminTests.AdminShop shop) : IClassFixture<SampleShopAdminTests.AdminShop>
{
    public const string Key = "correct horse battery staple 42";

    /// <summary>The shop with its admin on (<c>Admin:Key</c>), every log kept.</summary>
    public sealed class AdminShop : SampleShopFactory
    {
        public FakeLogCollector Logs => Services.GetFakeLogCollector();

        public RecordingCatalogSync CatalogSync { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(AdminAccess.KeySetting, Key);
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
            builder.ConfigureServices(services => services.AddSingleton<IClerkCatalogSync>(CatalogSync));
        }
    }

    /// <summary>Clerk's catalog sync as the shop sees it: records the changed products; fails for <see cref="FailingProduct"/>.</summary>
    public sealed class RecordingCatalogSync : IClerkCatalogSync
    {
        public const long FailingProduct = 1107;

        private readonly System.Collections.Concurrent.ConcurrentQueue<ClerkProductId> _changed = new();

        public IReadOnlyCollection<ClerkProductId> Changed => _changed;

        public ValueTask ProductsChangedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default)
        {
            if (products.Contains(new ClerkProductId(FailingProduct)))
            {
                throw new InvalidOperationException("The outbox is not reachable.");
            }

            foreach (var product in products)
            {
                _changed.Enqueue(product);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask ProductsRemovedAsync(IReadOnlyCollection<ClerkProductId> products, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The admin removes no products.");
    }

    private static readonly Product[] Catalog = [.. CatalogGenerator.Generate().SelectMany(c => c.Products)];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string> AdminPaths => new("/admin/products", "/admin/products/1005", "/admin/key");

    public static TheoryData<string> NamesThatFit => new(Hostile.Values.Select(row => row.Data).Where(v => v.Length <= 190));

    [Theory]
    [InlineData("GET", "/admin/products")]
    [InlineData("GET", "/admin/products/1005")]
    [InlineData("GET", "/admin/key")]
    [InlineData("POST", "/admin/products/1005")]
    [InlineData("POST", "/admin/key")]
    [InlineData("TRACE", "/admin/products/1005")]
    public async Task AdminPage_WithoutAdminKeySetting_Answers404AsIfItDidNotExist(string method, string path)
    {
        await using var plain = new SampleShopFactory();
        var client = plain.CreateVisitorClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancellation);
        using var unknown = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/no-such-page"), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(Cancellation), await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Theory]
    [MemberData(nameof(AdminPaths))]
    public async Task AdminPage_AdminKeySetting_IsNeverCachedOrIndexed(string path)
    {
        using var response = await shop.CreateVisitorClient().GetAsync(path, Cancellation);

        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("noindex, nofollow", page.QuerySelector("meta[name=robots]")!.GetAttribute("content"));
        Assert.Empty(page.Head!.QuerySelectorAll("script"));
    }

    [Theory]
    [InlineData("/admin/products")]
    [InlineData("/admin/products/1005")]
    [InlineData("/admin/products/999999")]
    public async Task GetAdminPage_WithoutAccess_Answers403WithTheKeyFormAndNoProductData(string path)
    {
        using var response = await shop.CreateVisitorClient().GetAsync(path, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var form = new HtmlParser().ParseDocument(html).QuerySelector("#admin-key-form")!;
        Assert.Equal("/admin/key", form.GetAttribute("action"));
        Assert.Equal(path, form.QuerySelector("input[name=returnUrl]")!.GetAttribute("value"));
        AssertNoProductData(html);
    }

    [Theory]
    [InlineData("not the key")]
    [InlineData("")]
    [InlineData(Key + " ")]
    [InlineData("CORRECT HORSE BATTERY STAPLE 42")]
    public async Task PostKey_WrongKey_Answers403AndGrantsNothing(string key)
    {
        var admin = new SampleShopClient(shop.CreateShopperClient());

        using var response = await admin.SendFormAsync("/admin/key", withToken: true, ("key", key), ("returnUrl", "/admin/products/1005"));
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(SetCookies.Find(response, AdminAccess.CookieName));
        Assert.Equal("That is not the admin key.", new HtmlParser().ParseDocument(html).QuerySelector("#form-error")!.TextContent);
        AssertNoProductData(html);
        await admin.GetPageAsync("/admin/products/1005", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PostKey_WithoutAntiforgeryToken_Answers400AndGrantsNothing()
    {
        var admin = new SampleShopClient(shop.CreateShopperClient());

        using var response = await admin.SendFormAsync("/admin/key", withToken: false, ("key", Key), ("returnUrl", "/admin/products"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(SetCookies.Find(response, AdminAccess.CookieName));
    }

    [Fact]
    public async Task PostKey_RightKey_SetsAStrictHttpOnlyCookieWithoutTheKeyAndReturns()
    {
        var admin = new SampleShopClient(shop.CreateShopperClient());

        using var response = await admin.SendFormAsync("/admin/key", withToken: true, ("key", Key), ("returnUrl", "/admin/products/1005"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/admin/products/1005", response.Headers.Location!.OriginalString);
        var cookie = SetCookies.Find(response, AdminAccess.CookieName)!;
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Strict, cookie.SameSite);
        Assert.Equal("/admin", cookie.Path.ToString());
        Assert.False(cookie.Secure);   // the test server speaks http; over https it is Secure (AdminAccessTests)
        Assert.Null(cookie.Expires);   // for the browser session
        Assert.DoesNotContain(Uri.EscapeDataString(Key), cookie.Value.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("correct", cookie.Value.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://evil.example/admin/products")]
    [InlineData("//evil.example/admin/products")]
    [InlineData("/admin/products/1005/../../../checkout")]
    [InlineData("/\\evil.example")]
    public async Task PostKey_ReturnUrlElsewhere_GoesToTheProductList(string returnUrl)
    {
        var admin = new SampleShopClient(shop.CreateShopperClient());

        using var response = await admin.SendFormAsync("/admin/key", withToken: true, ("key", Key), ("returnUrl", returnUrl));

        Assert.Equal("/admin/products", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task GetProduct_WithAccess_ShowsTheFormWithTheProductsValues()
    {
        var admin = await SignedInAdminAsync();
        var product = Catalog.Single(p => p.Id == 1005);

        var page = await admin.GetPageAsync("/admin/products/1005");

        var form = page.QuerySelector("#admin-product-form")!;
        Assert.Equal("/admin/products/1005", form.GetAttribute("action"));
        Assert.NotNull(form.QuerySelector($"input[name={ShopFormToken.FieldName}]"));
        Assert.Equal(product.Name, Value(page, "name"));
        Assert.Equal(product.Price.ToString("0.00", CultureInfo.InvariantCulture), Value(page, "price"));
        Assert.Equal(product.Stock.ToString(CultureInfo.InvariantCulture), Value(page, "stock"));
        Assert.Equal(product.Sku, page.QuerySelector("#admin-product-sku")!.TextContent);

        // A number field's attributes are read the invariant way, whatever the shop's culture (da-DK writes "99,99").
        Assert.Equal(ProductEditForm.MaxPrice, decimal.Parse(form.QuerySelector("input[name=price]")!.GetAttribute("max")!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task GetProductList_WithAccess_LinksEveryProductToItsAdminPage()
    {
        var admin = await SignedInAdminAsync();

        var page = await admin.GetPageAsync("/admin/products");

        var links = page.QuerySelectorAll("#admin-products tbody a").Select(a => a.GetAttribute("href")).ToArray();
        Assert.Equal(Catalog.OrderBy(p => p.Id).Select(p => $"/admin/products/{p.Id}"), links);
    }

    [Fact]
    public async Task GetProduct_WithAccessUnknownProduct_Answers404()
    {
        var admin = await SignedInAdminAsync();

        await admin.GetPageAsync("/admin/products/999999", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Save_ValidForm_ChangesTheProductInTheShop()
    {
        var admin = await SignedInAdminAsync();

        var next = await admin.PostAsync("/admin/products/1101", ("name", "Harbour Test Jacket"), ("price", "1234.50"), ("stock", "0"));

        Assert.Equal("/admin/products/1101?saved=true", next);
        var saved = await admin.GetPageAsync(next);
        Assert.Equal("Saved.", saved.QuerySelector("#admin-saved")!.TextContent);
        Assert.Equal("1234.50", Value(saved, "price"));
        var product = await admin.GetPageAsync("/products/1101");
        Assert.Equal("Harbour Test Jacket", product.QuerySelector("#product-name")!.TextContent);
        Assert.Equal(1234.50m.ToString("C", CultureInfo.GetCultureInfo("da-DK")), product.QuerySelector("#product-price")!.TextContent);
        Assert.Equal("Out of stock", product.QuerySelector("#product-stock")!.TextContent);
    }

    [Fact]
    public async Task Save_ValidForm_TellsClerksCatalogSyncOnceAndOnlyWhenSomethingChanged()
    {
        var admin = await SignedInAdminAsync();
        var product = Catalog.Single(p => p.Id == 1106);
        var unchanged = ProductEditForm.From(product);

        await admin.PostAsync("/admin/products/1106", ("name", unchanged.Name), ("price", unchanged.Price), ("stock", unchanged.Stock));
        Assert.DoesNotContain(new ClerkProductId(1106L), shop.CatalogSync.Changed);
        await admin.PostAsync("/admin/products/1106", ("name", unchanged.Name), ("price", unchanged.Price), ("stock", "12345"));

        Assert.Equal([new ClerkProductId(1106L)], shop.CatalogSync.Changed.Where(id => id == new ClerkProductId(1106L)));
    }

    [Fact]
    public async Task Save_CatalogSyncFails_SavesTheChangeAndLogsIt()
    {
        // Tracking never breaks the shop: a change Clerk cannot be told of now is saved, logged, and reaches Clerk
        // with the next import of the product feed.
        var admin = await SignedInAdminAsync();

        using var response = await admin.SendFormAsync(
            $"/admin/products/{RecordingCatalogSync.FailingProduct}", withToken: true, ("name", "Kept Change"), ("price", "1"), ("stock", "1"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("Kept Change", (await admin.GetPageAsync($"/products/{RecordingCatalogSync.FailingProduct}")).QuerySelector("#product-name")!.TextContent);
        Assert.Contains(shop.Logs.GetSnapshot(), log => log.Id.Name == "SyncOnSaveFailed");
    }

    [Fact]
    public async Task Save_ValidForm_TrimsTheNameAndKeepsTwoDecimals()
    {
        var admin = await SignedInAdminAsync();

        await admin.PostAsync("/admin/products/1102", ("name", "  Spaced Beanie  "), ("price", "0.5"), ("stock", "7"));

        var page = await admin.GetPageAsync("/admin/products/1102");
        Assert.Equal("Spaced Beanie", Value(page, "name"));
        Assert.Equal("0.50", Value(page, "price"));
        Assert.Equal("7", Value(page, "stock"));
        Assert.Equal("In stock", (await admin.GetPageAsync("/products/1102")).QuerySelector("#product-stock")!.TextContent);
    }

    [Theory]
    [InlineData("", "10", "1", "name")]
    [InlineData("   ", "10", "1", "name")]
    [InlineData("Line\nbreak", "10", "1", "name")]
    [InlineData("Ok", "-1", "1", "price")]
    [InlineData("Ok", "12.345", "1", "price")]
    [InlineData("Ok", "abc", "1", "price")]
    [InlineData("Ok", "1,5", "1", "price")]
    [InlineData("Ok", "1e3", "1", "price")]
    [InlineData("Ok", "", "1", "price")]
    [InlineData("Ok", "100000000", "1", "price")]
    [InlineData("Ok", "10", "-1", "stock")]
    [InlineData("Ok", "10", "1.5", "stock")]
    [InlineData("Ok", "10", "", "stock")]
    [InlineData("Ok", "10", "99999999999", "stock")]
    public async Task Save_InvalidField_Answers422WithItsErrorAndTheEnteredValuesAndChangesNothing(string name, string price, string stock, string wrong)
    {
        var admin = await SignedInAdminAsync();
        var before = Catalog.Single(p => p.Id == 1103);

        using var response = await admin.SendFormAsync("/admin/products/1103", withToken: true, ("name", name), ("price", price), ("stock", stock));
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(page.QuerySelector("#form-error"));
        Assert.Equal([$"{wrong}-error"], page.QuerySelectorAll(".field-error").Select(e => e.Id));
        Assert.Equal("true", page.QuerySelector($"#{wrong}")!.GetAttribute("aria-invalid"));
        Assert.Equal($"{wrong}-error", page.QuerySelector($"#{wrong}")!.GetAttribute("aria-describedby"));
        Assert.Equal((name, price, stock), (Value(page, "name"), Value(page, "price"), Value(page, "stock")));
        Assert.Equal(before.Name, (await admin.GetPageAsync("/products/1103")).QuerySelector("#product-name")!.TextContent);
    }

    [Fact]
    public async Task Save_EverythingWrong_ShowsEveryErrorAtOnce()
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SendFormAsync("/admin/products/1103", withToken: true, ("name", ""), ("price", "-3"), ("stock", "x"));
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(["name-error", "price-error", "stock-error"], page.QuerySelectorAll(".field-error").Select(e => e.Id));
    }

    [Fact]
    public async Task Save_TooLongHostileName_ComesBackEncodedInTheForm()
    {
        var admin = await SignedInAdminAsync();
        var name = string.Concat(Enumerable.Repeat("<'\"&\u2028", 41));

        using var response = await admin.SendFormAsync("/admin/products/1103", withToken: true, ("name", name), ("price", "10"), ("stock", "1"));
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(name, Value(new HtmlParser().ParseDocument(html), "name"));
        Assert.DoesNotContain("<'", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_WithoutAntiforgeryToken_Answers400AndChangesNothing()
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SendFormAsync("/admin/products/1104", withToken: false, ("name", "Forged"), ("price", "1"), ("stock", "1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Catalog.Single(p => p.Id == 1104).Name, Value(await admin.GetPageAsync("/admin/products/1104"), "name"));
    }

    [Fact]
    public async Task Save_WithoutAccess_Answers403AndChangesNothing()
    {
        var visitor = new SampleShopClient(shop.CreateShopperClient());

        using var response = await visitor.SendFormAsync("/admin/products/1104", withToken: true, ("name", "Defaced"), ("price", "1"), ("stock", "1"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        AssertNoProductData(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(Catalog.Single(p => p.Id == 1104).Name, (await visitor.GetPageAsync("/products/1104")).QuerySelector("#product-name")!.TextContent);
    }

    [Theory]
    [InlineData("CfDJ8forged")]
    [InlineData("")]
    [InlineData("%00%FF")]
    public async Task Save_ForgedAdminCookie_Answers403AndChangesNothing(string cookie)
    {
        var client = shop.CreateVisitorClient();
        var token = await ShopFormToken.FetchAsync(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/products/1104")
        {
            Content = new FormUrlEncodedContent([
                KeyValuePair.Create(ShopFormToken.FieldName, token.Value),
                KeyValuePair.Create("name", "Defaced"), KeyValuePair.Create("price", "1"), KeyValuePair.Create("stock", "1")]),
        };
        request.Headers.Add(HeaderNames.Cookie, $"{token.Cookie}; {AdminAccess.CookieName}={cookie}");

        using var response = await client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(Catalog.Single(p => p.Id == 1104).Name, (await new SampleShopClient(client).GetPageAsync("/products/1104")).QuerySelector("#product-name")!.TextContent);
    }

    [Theory]
    [MemberData(nameof(NamesThatFit))]
    public async Task Save_HostileName_RoundTripsEncoded(string hostile)
    {
        var admin = await SignedInAdminAsync();
        var name = $"x{hostile}y";

        await admin.PostAsync("/admin/products/1105", ("name", name), ("price", "10"), ("stock", "1"));

        using var adminResponse = await admin.Http.GetAsync("/admin/products/1105", Cancellation);
        var adminHtml = await adminResponse.Content.ReadAsStringAsync(Cancellation);
        Assert.Equal(name, Value(new HtmlParser().ParseDocument(adminHtml), "name"));
        Assert.Equal(name, new HtmlParser().ParseDocument(adminHtml).QuerySelector("#admin-product-name")!.TextContent);
        Assert.Equal(name, (await admin.GetPageAsync("/products/1105")).QuerySelector("#product-name")!.TextContent);
        Assert.Equal(name, (await admin.GetPageAsync("/admin/products")).QuerySelector("#admin-products a[href='/admin/products/1105']")!.TextContent);
        Assert.DoesNotContain("</script><script>", adminHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("x\"", adminHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_DeletesTheAdminCookie()
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SendFormAsync("/admin/key?handler=signout", withToken: true);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.True(SetCookies.IsDeletion(SetCookies.Find(response, AdminAccess.CookieName)!));
        await admin.GetPageAsync("/admin/products/1005", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Logs_AfterKeysRightAndWrong_NeverContainTheKey()
    {
        var admin = await SignedInAdminAsync();
        using var wrong = await admin.SendFormAsync("/admin/key", withToken: true, ("key", "guess-" + Key));

        Assert.NotEmpty(shop.Logs.GetSnapshot());
        Assert.All(shop.Logs.GetSnapshot(), record =>
        {
            Assert.DoesNotContain("horse", record.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("horse", string.Join(' ', record.StructuredState?.Select(s => s.Value) ?? []), StringComparison.OrdinalIgnoreCase);
        });
    }

    private async Task<SampleShopClient> SignedInAdminAsync()
    {
        var admin = new SampleShopClient(shop.CreateShopperClient());
        Assert.Equal("/admin/products", await admin.PostAsync("/admin/key", ("key", Key), ("returnUrl", "/admin/products")));
        return admin;
    }

    private static string? Value(IDocument page, string field) =>
        page.QuerySelector($"#admin-product-form input[name={field}]")!.GetAttribute("value");

    private static void AssertNoProductData(string html)
    {
        Assert.Empty(new HtmlParser().ParseDocument(html).QuerySelectorAll("#admin-product-form, #admin-products"));
        foreach (var product in Catalog.Where(p => p.Id is 1005 or 1001))
        {
            Assert.DoesNotContain(product.Name, html, StringComparison.Ordinal);
            Assert.DoesNotContain(product.Sku, html, StringComparison.Ordinal);
        }
    }
}
