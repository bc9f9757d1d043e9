using Clerk.AspNetCore.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>
/// The sample shop in memory, in the Production environment, as a visitor meets it, on a database of its own that
/// is deleted afterwards.
/// </summary>
public class SampleShopFactory : WebApplicationFactory<Program>
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"sample-shop-{Guid.NewGuid():N}.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");

        // Production without a Clerk key refuses to start unless the emulator is asked for, as tests and CI do.
        builder.UseSetting("ClerkEmulator:Enabled", "true");
        builder.UseSetting("ConnectionStrings:Shop", $"Data Source={_database};Pooling=False");

        // The shop asks Clerk (here its own emulator) on the server, and the emulator imports the shop's feeds as the
        // shop starts: in memory both go to the test server, reached through the host's own IServer. (The factory's
        // Server property is only set once the host has started; asking it earlier would start a second shop.)
        builder.ConfigureServices(services =>
        {
            services.AddHttpClient(ClerkOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(TestServerHandler);
            services.AddHttpClient(ClerkEmulatorOptions.ImporterHttpClientName).ConfigurePrimaryHttpMessageHandler(TestServerHandler);
        });
    }

    private static HttpMessageHandler TestServerHandler(IServiceProvider services) =>
        ((TestServer)services.GetRequiredService<IServer>()).CreateHandler();

    /// <summary>A client that neither follows redirects nor keeps cookies: every test states its cookies.</summary>
    public HttpClient CreateVisitorClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>A client that keeps its cookies (cart, consent) like a browser, without following redirects.</summary>
    public HttpClient CreateShopperClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }
}
