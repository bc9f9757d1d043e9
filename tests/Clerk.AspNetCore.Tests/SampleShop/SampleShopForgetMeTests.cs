using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Clerk.AspNetCore.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>
/// The privacy page's "forget me": the buyer of an order, proved by the order's access cookie, has Clerk forget them
/// in both markets' stores, and the shop drop their e-mail from its orders (so its order feed cannot give it back).
/// </summary>
public sealed class SampleShopForgetMeTests(SampleShopFactory factory) : IClassFixture<SampleShopFactory>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private ClerkEmulatorStores Emulator => factory.Services.GetRequiredService<ClerkEmulatorStores>();

    [Fact]
    public async Task ForgetMe_TheBuyer_IsForgottenInEveryStoreAndTheOrderFeedLosesTheEmail()
    {
        var email = $"forget-{Guid.NewGuid():N}@example.com";
        var buyer = new SampleShopClient(factory.CreateShopperClient());
        await buyer.PostAsync("/consent/accept");
        var order = (await buyer.BuyAsync(1002, 100201, 1, email: email, createAccount: true)).Split('/')[2];

        // A person asks later, once their sale has reached Clerk: while it is being sent, the erasure could only say
        // to try again (a message in flight), which is another test's subject.
        await Eventually(() => Emulator.Default.GetSale(order) is not null);
        Assert.True((await OrderFeedAsync()).EnumerateArray().Single(o => o.GetProperty("id").GetString() == order).TryGetProperty("customer", out _));

        using var start = await buyer.Http.GetAsync($"/orders/forget?number={order.ToLowerInvariant()}", Cancellation);
        Assert.Equal(HttpStatusCode.SeeOther, start.StatusCode);
        Assert.Equal($"/orders/{order}/forget", start.Headers.Location!.OriginalString);
        var confirm = await buyer.GetPageAsync($"/orders/{order}/forget");
        Assert.Equal("f***@example.com", confirm.QuerySelector("#forget-email")!.TextContent);

        using var forgotten = await buyer.SendFormAsync($"/orders/{order}/forget", withToken: true);
        var page = new HtmlParser().ParseDocument(await forgotten.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.OK, forgotten.StatusCode);
        Assert.NotNull(page.QuerySelector("#forget-done"));
        Assert.Equal(["dk", "en"], page.QuerySelectorAll("#forget-stores .forget-store").Select(e => e.TextContent).Order());
        foreach (var store in Emulator)
        {
            var forget = store.GetCalls("privacy/forget").Where(c => c.Arguments.TryGetProperty("email", out var e) && e.GetString() == email);
            Assert.True(forget.Any(c => c.Succeeded), $"{store.PublicKey} was not asked to forget the buyer.");
        }

        var feed = await OrderFeedAsync();
        var entry = feed.EnumerateArray().Single(o => o.GetProperty("id").GetString() == order);
        Assert.False(entry.TryGetProperty("email", out _), entry.ToString());
        Assert.False(entry.TryGetProperty("customer", out _), entry.ToString());
        Assert.DoesNotContain(email, feed.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull((await buyer.GetPageAsync($"/orders/{order}/forget")).QuerySelector("#forget-done"));
    }

    [Fact]
    public async Task ForgetMe_SomeoneElsesAddressTypedAtCheckout_ForgetsOnlyTheirOwnOrder()
    {
        // The victim ordered from their own browser; the attacker orders with the victim's address, then asks to forget.
        var email = $"victim-{Guid.NewGuid():N}@example.com";
        var victim = new SampleShopClient(factory.CreateShopperClient());
        await victim.PostAsync("/consent/accept");
        var victims = (await victim.BuyAsync(1002, 100201, 1, email: email)).Split('/')[2];
        var attacker = new SampleShopClient(factory.CreateShopperClient());
        attacker.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Attacker/1.0");
        await attacker.PostAsync("/consent/accept");
        var attackers = (await attacker.BuyAsync(1002, 100201, 1, email: email)).Split('/')[2];
        await Eventually(() => Emulator.Default.GetSale(attackers) is not null);

        using var forgotten = await attacker.SendFormAsync($"/orders/{attackers}/forget", withToken: true);
        var page = new HtmlParser().ParseDocument(await forgotten.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.OK, forgotten.StatusCode);
        Assert.NotNull(page.QuerySelector("#forget-partly"));
        Assert.DoesNotContain(Emulator.SelectMany(s => s.GetCalls("privacy/forget")),
            c => c.Arguments.TryGetProperty("email", out var e) && e.GetString() == email);
        var feed = await OrderFeedAsync();
        Assert.Equal(email, feed.EnumerateArray().Single(o => o.GetProperty("id").GetString() == victims).GetProperty("email").GetString());
        Assert.False(feed.EnumerateArray().Single(o => o.GetProperty("id").GetString() == attackers).TryGetProperty("email", out _));
    }

    [Fact]
    public async Task ForgetMe_EnglishOrderFromTheDanishPrivacyPage_GoesToTheEnglishMarketWhereItsCookieIs()
    {
        var buyer = new SampleShopClient(factory.CreateShopperClient());
        var order = (await buyer.BuyAsync(1001, 100101, 1, market: "/en")).Split('/')[3];

        using var start = await buyer.Http.GetAsync($"/orders/forget?number={order}", Cancellation);

        Assert.Equal($"/en/orders/{order}/forget", start.Headers.Location!.OriginalString);
        Assert.Equal(order, (await buyer.GetPageAsync($"/en/orders/{order}/forget")).QuerySelector("#forget-order-number")!.TextContent);
        await buyer.GetPageAsync($"/orders/{order}/forget", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ForgetMe_AnotherBrowser_GetsNotFoundAndNothingIsForgotten()
    {
        var email = $"kept-{Guid.NewGuid():N}@example.com";
        var buyer = new SampleShopClient(factory.CreateShopperClient());
        var order = (await buyer.BuyAsync(1002, 100201, 1, email: email)).Split('/')[2];
        var stranger = new SampleShopClient(factory.CreateShopperClient());

        await stranger.GetPageAsync($"/orders/{order}/forget", HttpStatusCode.NotFound);
        using var post = await stranger.SendFormAsync($"/orders/{order}/forget", withToken: true);

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Contains(email, (await OrderFeedAsync()).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Emulator.SelectMany(s => s.GetCalls("privacy/forget")),
            c => c.Arguments.TryGetProperty("email", out var e) && e.GetString() == email);
    }

    [Fact]
    public async Task ForgetMe_PostWithoutTheFormsToken_IsRefused()
    {
        var buyer = new SampleShopClient(factory.CreateShopperClient());
        var order = (await buyer.BuyAsync(1002, 100201, 1)).Split('/')[2];

        using var post = await buyer.SendFormAsync($"/orders/{order}/forget", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("NG-1")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("NG-12345678/../../admin")]
    public async Task ForgetMe_NotAnOrderNumber_GoesBackToThePrivacyPageWithAMessage(string number)
    {
        var visitor = new SampleShopClient(factory.CreateVisitorClient());

        using var response = await visitor.Http.GetAsync($"/orders/forget?number={Uri.EscapeDataString(number)}", Cancellation);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/privacy?error=OrderNumberInvalid", response.Headers.Location!.OriginalString);
        var page = await visitor.GetPageAsync("/privacy?error=OrderNumberInvalid");
        Assert.Contains("Enter the number of your order", page.QuerySelector("#forget-me #form-error")!.TextContent, StringComparison.Ordinal);
    }

    private async Task<JsonElement> OrderFeedAsync()
    {
        using var response = await factory.CreateVisitorClient().GetAsync(
            $"/clerk/order?key={ClerkEmulatorOptions.DemoPublicKey}&private_key={ClerkEmulatorOptions.DemoPrivateKey}&limit=1000", Cancellation);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement.Clone();
    }

    /// <summary>Waits, in real time, for the shop's outbox worker to have delivered a sale.</summary>
    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(25, timeout.Token);
        }
    }
}
