using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SampleShop.Recommendations;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The sample shop in memory, in the Production environment, as a visitor meets it.</summary>
public sealed class SampleShopFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");

        // The shop asks Clerk (here its own emulator) on the server; in memory that call goes to the test server.
        builder.ConfigureServices(services => services
            .AddHttpClient(ShopRecommendations.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler()));
    }

    /// <summary>A client that neither follows redirects nor keeps cookies: every test states its cookies.</summary>
    public HttpClient CreateVisitorClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
}
