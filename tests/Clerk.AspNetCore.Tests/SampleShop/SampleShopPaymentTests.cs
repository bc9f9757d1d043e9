using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SampleShop.Data;
using SampleShop.Payments;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>
/// The sample shop's simulated payment provider: checkout with <c>payment=redirect</c> → the provider's page on another
/// host name → its cross-site POST to <c>/checkout/return</c>, which carries none of the shop's cookies → the
/// confirmation page. The return is sent here by a client with no cookies at all, as the browser sends it.
/// </summary>
public sealed class SampleShopPaymentTests(ServerSideSalesShopFactory factory) : IClassFixture<ServerSideSalesShopFactory>
{
    private const string VisitorCookie = "clerk_visitor";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCheckout_WithACart_OffersThePaymentRedirectAsASecondButtonOffByDefault()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());
        await shopper.AddToCartAsync(1005, 100501, 1);

        var page = await shopper.GetPageAsync("/checkout");

        var buttons = page.QuerySelectorAll("#checkout-form button[type=submit]");
        Assert.Equal(["place-order", "pay-by-redirect"], buttons.Select(b => b.Id));
        Assert.False(buttons[0].HasAttribute("name"));
        Assert.Equal(("payment", "redirect"), (buttons[1].GetAttribute("name"), buttons[1].GetAttribute("value")));
    }

    [Fact]
    public async Task PostCheckout_PaymentRedirect_SeeOtherToTheProviderOnTheOtherHostNameAndTheOrderAwaitsPayment()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());
        await shopper.AddToCartAsync(1005, 100501, 1);

        var provider = new Uri(await shopper.PostAsync("/checkout", ("email", "buyer@example.com"), ("payment", "redirect")));

        // The in-memory shop is visited on localhost, so its provider is 127.0.0.1: another site.
        Assert.Equal("http://127.0.0.1/simulated-payment/pay", provider.GetLeftPart(UriPartial.Path));
        var number = await PayPageOrderAsync(provider);
        var order = FindOrder(number);
        Assert.True(order.AwaitingPayment);
        Assert.Empty(OutboxSales(number));
        Assert.Equal("0", (await shopper.GetPageAsync("/cart")).QuerySelector("#cart-count")!.TextContent);
    }

    [Fact]
    public async Task GetConfirmation_OrderAwaitingPayment_SaysSoAndRendersNoSale()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());
        await shopper.AddToCartAsync(1005, 100501, 1);
        var number = await PayPageOrderAsync(new Uri(await shopper.PostAsync("/checkout", ("email", "buyer@example.com"), ("payment", "redirect"))));

        var page = await shopper.GetPageAsync($"/orders/{number}/confirmation");

        Assert.NotNull(page.QuerySelector("#awaiting-payment"));
        Assert.Null(page.QuerySelector("span.clerk[data-api='log/sale']"));
    }

    [Fact]
    public async Task ProviderPage_ValidReference_PayNowPostsTheReferenceToTheShopsReturnWithoutClerk()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());
        await shopper.AddToCartAsync(1005, 100501, 1);
        var provider = new Uri(await shopper.PostAsync("/checkout", ("email", "buyer@example.com"), ("payment", "redirect")));

        var page = await GetProviderPageAsync(provider);

        var form = page.QuerySelector("form#payment-form")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("http://localhost/checkout/return", form.GetAttribute("action"));
        Assert.NotNull(form.QuerySelector("button#pay-now"));
        Assert.False(string.IsNullOrEmpty(form.QuerySelector("input[name=reference]")!.GetAttribute("value")));
        Assert.DoesNotContain(page.QuerySelectorAll("script"), s => s.TextContent.Contains("Clerk", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostReturn_CrossSiteWithoutAnyCookie_PaysTheOrderAndSendsTheBuyerToItsConfirmation()
    {
        var (shopper, visitor) = await ConsentingShopperAsync();
        var (number, reference) = await CheckOutByRedirectAsync(shopper);

        using var response = await PostReturnAsync(reference);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/orders/{number}/confirmation", response.Headers.Location!.OriginalString);
        Assert.False(FindOrder(number).AwaitingPayment);

        // The middleware saw an undecided stranger: it must neither issue nor delete a visitor cookie it could not see.
        Assert.Null(SetCookies.Find(response, VisitorCookie));

        // The confirmation GET that follows is top-level, so the Lax cookies (visitor, order access) come back.
        var confirmation = await shopper.GetPageAsync($"/orders/{number}/confirmation");
        Assert.Equal(number, confirmation.QuerySelector("#order-number")!.TextContent);
        Assert.Null(confirmation.QuerySelector("#awaiting-payment"));
        var config = Hostile.JsonAfter(confirmation.Head!.QuerySelector("script")!.TextContent, "Clerk('config',");
        Assert.Equal(visitor, config.GetProperty("visitor").GetString());
    }

    [Fact]
    public async Task PostReturn_ServerSideSales_TracksTheSaleWithTheVisitorStoredAtCheckoutNotTheReturnsOwn()
    {
        // A consent given on the first request keeps the device's cookieless ID (issue 16), which a return from the
        // same browser would derive again: a shopper on another browser tells the stored visitor from the return's own.
        var (shopper, visitor) = await ConsentingShopperAsync(userAgent: "OtherBrowser/1.0");
        var (number, reference) = await CheckOutByRedirectAsync(shopper);
        var returnsOwnVisitor = await CookielessVisitorAsync();

        using var response = await PostReturnAsync(reference);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var sale = Assert.Single(OutboxSales(number));
        Assert.NotEqual(visitor, returnsOwnVisitor);
        Assert.Equal(visitor, sale.GetProperty("visitor").GetString());
        Assert.Equal("buyer@example.com", sale.GetProperty("email").GetString());
    }

    [Fact]
    public async Task PostReturn_EnglishMarket_ComesBackToItAndTracksTheSaleInTheEnglishStoreInEuros()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());
        await shopper.AddToCartAsync(1001, 100101, 1, market: "/en");
        var provider = new Uri(await shopper.PostAsync("/en/checkout", ("email", "buyer@example.com"), ("payment", "redirect")));
        var page = await GetProviderPageAsync(provider);
        var number = page.QuerySelector("#payment-order")!.TextContent;
        var form = page.QuerySelector("form#payment-form")!;

        // The provider posts back to the market the order was placed in, so the return's store is that market's.
        Assert.Equal("http://localhost/en/checkout/return", form.GetAttribute("action"));
        using var response = await PostReturnAsync(form.QuerySelector("input[name=reference]")!.GetAttribute("value")!, "/en/checkout/return");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/en/orders/{number}/confirmation", response.Headers.Location!.OriginalString);
        var sale = Assert.Single(OutboxSales(number, out var store));
        Assert.Equal(Clerk.AspNetCore.Testing.ClerkEmulatorOptions.DemoPublicKeyEn, store);
        Assert.Equal(Clerk.AspNetCore.Testing.ClerkEmulatorOptions.DemoPublicKeyEn, sale.GetProperty("key").GetString());
        Assert.Equal(20.10m, sale.GetProperty("products")[0].GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task PostReturn_DeclinedVisitor_TracksTheSaleWithoutVisitorOrEmail()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());
        await shopper.PostAsync("/consent/decline");
        var (number, reference) = await CheckOutByRedirectAsync(shopper);

        using var response = await PostReturnAsync(reference);

        var sale = Assert.Single(OutboxSales(number));
        Assert.Equal(JsonValueKind.Null, sale.GetProperty("visitor").ValueKind);
        Assert.False(sale.TryGetProperty("email", out var email) && email.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task PostReturn_SameReferenceAgain_RedirectsAgainButTracksTheSaleOnce()
    {
        var (shopper, _) = await ConsentingShopperAsync();
        var (number, reference) = await CheckOutByRedirectAsync(shopper);

        using var first = await PostReturnAsync(reference);
        using var second = await PostReturnAsync(reference);

        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Single(OutboxSales(number));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-reference")]
    [InlineData("x")]
    [InlineData("not base64url!")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task PostReturn_ForgedReference_Answers400AndPaysNothing(string forged)
    {
        var (shopper, _) = await ConsentingShopperAsync();
        var (number, _) = await CheckOutByRedirectAsync(shopper);

        using var response = await PostReturnAsync(forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(FindOrder(number).AwaitingPayment);
        Assert.Empty(OutboxSales(number));
    }

    [Fact]
    public async Task PostReturn_AlteredReference_Answers400AndPaysNothing()
    {
        var (shopper, _) = await ConsentingShopperAsync();
        var (number, reference) = await CheckOutByRedirectAsync(shopper);
        var altered = reference[..^4] + (reference[^4] == 'A' ? 'B' : 'A') + reference[^3..];

        using var response = await PostReturnAsync(altered);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(FindOrder(number).AwaitingPayment);
    }

    [Fact]
    public void PaymentReferences_AfterItsLifetime_AreRefused()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var references = new PaymentReferences(new EphemeralDataProtectionProvider(), clock);
        var reference = references.Create(new PaymentRequest("NG-1", "http://localhost"));

        clock.Advance(PaymentReferences.Lifetime - TimeSpan.FromSeconds(1));
        Assert.True(references.TryRead(reference, out var payment));
        Assert.Equal(new PaymentRequest("NG-1", "http://localhost"), payment);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(references.TryRead(reference, out _));
    }

    [Fact]
    public void PaymentReferences_OfAnotherPurpose_AreRefused()
    {
        var keys = new EphemeralDataProtectionProvider();
        var references = new PaymentReferences(keys, TimeProvider.System);
        var other = keys.CreateProtector("SampleShop.Something.Else").Protect("NG-1\nhttp://localhost\n99999999999");

        Assert.False(references.TryRead(other, out _));
    }

    [Theory]
    [InlineData("127.0.0.1:5080", "localhost:5080")]
    [InlineData("localhost:5080", "127.0.0.1:5080")]
    [InlineData("LOCALHOST", "127.0.0.1")]
    [InlineData("[::1]:8080", "localhost:8080")]
    [InlineData("shop.example", "shop.example")]
    public void OtherLoopbackName_ShopHost_IsTheOtherNameOnTheSamePort(string shop, string provider) =>
        Assert.Equal(provider, PaymentHost.OtherLoopbackName(new HostString(shop)).Value);

    [Fact]
    public void OriginFor_Setting_NamesTheProviderHost()
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = "https";
        request.Host = new HostString("shop.example");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(PaymentHost.Setting, "pay.example:8443")]).Build();

        Assert.Equal("https://pay.example:8443", PaymentHost.OriginFor(request, configuration));
    }

    private async Task<(SampleShopClient Shopper, string Visitor)> ConsentingShopperAsync(string? userAgent = null)
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());
        if (userAgent is not null)
        {
            shopper.Http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        }

        await shopper.PostAsync("/consent/accept");
        var home = await shopper.GetPageAsync("/");
        Assert.Equal("Persistent", home.QuerySelector("#visitor-mode")!.TextContent);
        return (shopper, home.QuerySelector("#visitor-id")!.TextContent);
    }

    private async Task<(string Number, string Reference)> CheckOutByRedirectAsync(SampleShopClient shopper)
    {
        await shopper.AddToCartAsync(1006, 100601, 2);
        var provider = new Uri(await shopper.PostAsync("/checkout", ("email", "buyer@example.com"), ("payment", "redirect")));
        var page = await GetProviderPageAsync(provider);
        return (page.QuerySelector("#payment-order")!.TextContent, page.QuerySelector("input[name=reference]")!.GetAttribute("value")!);
    }

    private async Task<AngleSharp.Dom.IDocument> GetProviderPageAsync(Uri provider)
    {
        // Another site: the browser sends none of the shop's cookies there.
        using var response = await factory.CreateVisitorClient().GetAsync(provider, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Cancellation));
    }

    private async Task<string> PayPageOrderAsync(Uri provider) =>
        (await GetProviderPageAsync(provider)).QuerySelector("#payment-order")!.TextContent;

    /// <summary>The provider's "Pay now": a cross-site form POST, so without any of the shop's cookies.</summary>
    private async Task<HttpResponseMessage> PostReturnAsync(string reference, string path = "/checkout/return")
    {
        using var content = new FormUrlEncodedContent([KeyValuePair.Create("reference", reference)]);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        request.Headers.Add("Origin", "http://127.0.0.1");
        return await factory.CreateVisitorClient().SendAsync(request, Cancellation);
    }

    /// <summary>The cookieless ID the shop gives a request without cookies from this test client (as the return is).</summary>
    private async Task<string> CookielessVisitorAsync()
    {
        var home = await new SampleShopClient(factory.CreateVisitorClient()).GetPageAsync("/");
        Assert.Equal("Cookieless", home.QuerySelector("#visitor-mode")!.TextContent);
        return home.QuerySelector("#visitor-id")!.TextContent;
    }

    private Order FindOrder(string number)
    {
        using var scope = factory.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<ShopDbContext>().Orders.AsNoTracking().Single(o => o.Number == number);
    }

    /// <summary>The bodies of the <c>log/sale</c> calls the server wrote to Clerk's outbox for an order.</summary>
    private List<JsonElement> OutboxSales(string number) => OutboxSales(number, out _);

    /// <summary>The same, with the store (public key) the last of them belongs to.</summary>
    private List<JsonElement> OutboxSales(string number, out string? store)
    {
        using var scope = factory.Services.CreateScope();
        var rows = scope.ServiceProvider.GetRequiredService<ShopDbContext>().ClerkOutbox.AsNoTracking()
            .Where(m => m.OrderId == number && m.Endpoint == "log/sale")
            .ToList();
        store = rows.LastOrDefault()?.Store;
        return rows.Select(m => JsonDocument.Parse(m.Body).RootElement.Clone()).ToList();
    }
}

/// <summary>The sample shop with <c>Clerk:SaleTracking=ServerSide</c>: the server sends every sale.</summary>
public sealed class ServerSideSalesShopFactory : SampleShopFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Clerk:SaleTracking", "ServerSide");
    }
}
