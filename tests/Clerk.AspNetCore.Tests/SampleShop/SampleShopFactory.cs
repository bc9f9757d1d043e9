using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The sample shop in memory, in the Production environment, as a visitor meets it.</summary>
public sealed class SampleShopFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Production");

    /// <summary>A client that neither follows redirects nor keeps cookies: every test states its cookies.</summary>
    public HttpClient CreateVisitorClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
}
