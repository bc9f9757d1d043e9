using Microsoft.AspNetCore.Hosting;

namespace Clerk.AspNetCore.FunctionalTests.SampleShop;

/// <summary>The sample shop as an API setup (<c>Clerk:Mode=Api</c>): no Clerk.js, blocks from the server, beacon clicks, server-side sales.</summary>
public sealed class ApiShopServer : ShopServer
{
    protected override void ConfigureShop(IWebHostBuilder builder) => builder.UseSetting("Clerk:Mode", "Api");
}
