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

        // The shop asks Clerk (here its own emulator) on the server; in memory that call goes to the test server.
        builder.ConfigureServices(services => services
            .AddHttpClient(ClerkOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler()));

        // The emulator imports the shop's feeds as the shop starts, before the factory's Server is there: its importer
        // reaches the test server through the host's own IServer.
        builder.ConfigureServices(services => services
            .AddHttpClient(ClerkEmulatorOptions.ImporterHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => ((TestServer)provider.GetRequiredService<IServer>()).CreateHandler()));
    }

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
