using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clerk.AspNetCore.FunctionalTests.WebFarm;

/// <summary>
/// One instance of the sample shop in a web farm: Kestrel on a loopback port of its own, Production environment, the
/// farm's PostgreSQL database, and the farm's one Clerk emulator (hosted by the first instance; the others reach it
/// through <c>ClerkEmulator:Url</c>, as scripts/web-farm.sh runs them).
/// </summary>
internal sealed class FarmInstance : WebApplicationFactory<Program>, IShopInstance
{
    private readonly int _port = LoopbackPort.Reserve();
    private readonly string _database;
    private readonly Uri? _sharedEmulator;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public FarmInstance(string database, Uri? sharedEmulator, IReadOnlyDictionary<string, string> settings)
    {
        _database = database;
        _sharedEmulator = sharedEmulator;
        _settings = settings;
        UseKestrel(_port);
        StartServer();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    /// <summary>The emulator this instance hosts (only the first instance of a farm hosts one).</summary>
    public Uri EmulatorAddress => new(BaseAddress, "clerk-emulator");

    /// <summary>
    /// Stops the instance as a crash would, as far as a process can do that to a part of itself: no time to finish
    /// anything (shutdown timeout zero), so whatever it was sending is abandoned and whatever it had leased stays
    /// leased until the lease runs out.
    /// </summary>
    public async Task CrashAsync()
    {
        using var abandon = new CancellationTokenSource();
        await abandon.CancelAsync();
        await Services.GetRequiredService<IHost>().StopAsync(abandon.Token);
        await DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ClerkEmulator:Enabled", "true");
        builder.UseSetting("urls", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("ConnectionStrings:Shop", _database);
        if (_sharedEmulator is not null)
        {
            builder.UseSetting("ClerkEmulator:Url", _sharedEmulator.ToString().TrimEnd('/'));
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
