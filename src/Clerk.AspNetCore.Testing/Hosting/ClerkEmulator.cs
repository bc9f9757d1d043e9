using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// A Clerk emulator on its own loopback port, for tests: point <c>Clerk:ApiBaseUrl</c> at <see cref="ApiBaseUrl"/>,
/// run the test, then inspect <see cref="State"/> (the default store), or <see cref="GetState"/> for another of its
/// <see cref="Stores"/>.
/// </summary>
public sealed class ClerkEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClerkEmulator(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Stores = app.Services.GetRequiredService<ClerkEmulatorStores>();
        State = Stores.Default;
        Importer = app.Services.GetRequiredService<ClerkEmulatorImporter>();
    }

    /// <summary>The emulator's root, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Clerk's API on the emulator: the value for <c>Clerk:ApiBaseUrl</c>.</summary>
    public Uri ApiBaseUrl => new(BaseAddress, "v2");

    /// <summary>The stand-in Clerk.js on the emulator: the value for <c>Clerk:ClerkJsUrl</c>.</summary>
    public Uri ClerkJsUrl => new(BaseAddress, "clerk.js");

    /// <summary>
    /// The calls and sales the default store (<see cref="ClerkEmulatorOptions.PublicKey"/>) has received; the other
    /// stores' are in <see cref="Stores"/>.
    /// </summary>
    public ClerkEmulatorState State { get; }

    /// <summary>Every store of the emulator, the default one first, each with its own state.</summary>
    public ClerkEmulatorStores Stores { get; }

    /// <summary>Pulls a shop's feeds into the emulator's catalog, as Clerk's importer does.</summary>
    public ClerkEmulatorImporter Importer { get; }

    /// <summary>The state of the store with this public key.</summary>
    /// <param name="publicKey">The store's public key, such as <see cref="ClerkEmulatorOptions.DemoPublicKeyEn"/>.</param>
    /// <returns>The store's calls, sales and catalog.</returns>
    /// <exception cref="ArgumentException">No store has this public key.</exception>
    public ClerkEmulatorState GetState(string publicKey) => Stores.Get(publicKey);

    /// <summary>
    /// Starts an emulator on a free loopback port, in any environment (it sets
    /// <see cref="ClerkEmulatorOptions.AllowOutsideDevelopment"/>: only the test that started it can reach it).
    /// </summary>
    /// <param name="configure">Sets the emulator's keys and catalog.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<ClerkEmulator> StartAsync(Action<ClerkEmulatorOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddClerkEmulator(options =>
        {
            // Listening on loopback only, for the test that started it: allowed in any environment.
            options.AllowOutsideDevelopment = true;
            configure?.Invoke(options);
        });

        var app = builder.Build();
        app.MapClerkEmulator("/");
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ClerkEmulator(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Stops the emulator.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
