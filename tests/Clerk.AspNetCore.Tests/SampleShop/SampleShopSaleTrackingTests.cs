using Clerk.AspNetCore.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>
/// The sample shop with the default sale tracking of Clerk.js mode, <c>ServerSideWithClientFallback</c>: the server
/// sends the sale at checkout, so a buyer whose browser never runs Clerk.js still counts.
/// </summary>
public sealed class SampleShopSaleTrackingTests(SampleShopFactory factory) : IClassFixture<SampleShopFactory>
{
    [Fact]
    public async Task Checkout_DefaultSaleTracking_TheServerClaimsTheSaleAndThePageRendersNone()
    {
        var shopper = new SampleShopClient(factory.CreateShopperClient());

        var confirmation = await shopper.BuyAsync(1002, 100201, 1);
        var page = await shopper.GetPageAsync(confirmation);

        Assert.Null(page.QuerySelector("span.clerk[data-api='log/sale']"));
        var order = confirmation.Split('/')[2];
        var ledger = factory.Services.GetRequiredService<IClerkSaleLedger>();
        Assert.False(await ledger.TryClaimAsync(ClerkEmulatorOptions.DemoPublicKey, order, TestContext.Current.CancellationToken));
    }
}
