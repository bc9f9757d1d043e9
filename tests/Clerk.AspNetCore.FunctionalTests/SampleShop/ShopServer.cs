using Clerk.AspNetCore.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.FunctionalTests.SampleShop;

/// <summary>
/// The sample shop on a loopback port (Kestrel), on its built-in Clerk emulator, for a real browser. Production
/// environment, as visitors meet it.
/// </summary>
public class ShopServer : WebApplicationFactory<Program>
{
    private readonly int _port = LoopbackPort.Reserve();
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"sample-shop-browser-{Guid.NewGuid():N}.db");

    public ShopServer()
    {
        UseKestrel(_port);
        StartServer();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    public ClerkEmulatorState Emulator => Services.GetRequiredService<ClerkEmulatorState>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");

        // Production without a Clerk key refuses to start unless the emulator is asked for, as tests and CI do.
        builder.UseSetting("ClerkEmulator:Enabled", "true");

        // The shop's own address, which it uses for its server-side calls to the emulator.
        builder.UseSetting("urls", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("ConnectionStrings:Shop", $"Data Source={_database};Pooling=False");

        // Two products whose names are markup and quotes, to prove they render as text and are still tracked.
        builder.UseSetting("Shop:HostileProducts", "true");
        ConfigureShop(builder);
    }

    /// <summary>Settings of a variant of the shop, such as API mode.</summary>
    /// <param name="builder">The shop's host.</param>
    protected virtual void ConfigureShop(IWebHostBuilder builder)
    {
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }
}
