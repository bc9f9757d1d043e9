using Clerk.AspNetCore.Testing;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// One emulator on a loopback port for a test class that sends the package's calls to it; every test starts from
/// <see cref="Reset"/>. The emulator's own tests have their own fixture in Clerk.AspNetCore.Testing.Tests.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public ClerkEmulator Emulator { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await ClerkEmulator.StartAsync(o =>
        {
            o.Catalog.Add(new ClerkEmulatorProduct(101, "Wool Sweater", 499.95m) { Categories = ["knitwear"], Brand = "Nordkap", Url = "/products/101" });
            o.Catalog.Add(new ClerkEmulatorProduct(102, "Rain Jacket", 899m) { Categories = ["outerwear"], Brand = "Fjell" });
            o.Catalog.Add(new ClerkEmulatorProduct(103, "Wool Socks", 79m) { Categories = ["knitwear", "accessories"], Brand = "Nordkap" });
            o.Catalog.Add(new ClerkEmulatorProduct(104, "Down Parka", 1999m) { Categories = ["outerwear"], Brand = "Fjell" });
            o.Catalog.Add(new ClerkEmulatorProduct(105, "Leather Gloves", 349m) { Categories = ["accessories"], Brand = "Nordkap" });
            o.Catalog.Add(new ClerkEmulatorProduct(106, "Linen Shirt", 299m) { Categories = ["shirts"], Brand = "Sol" });
            o.MaxRequestBodyBytes = 4096;
        });
    }

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>Forgets calls and sales and clears injected faults, so each test starts clean.</summary>
    public void Reset()
    {
        Emulator.State.Reset();
        Emulator.State.ClearFaults();
    }
}
