using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.TestShared;

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
        Emulator = await ClerkEmulator.StartAsync(TestCatalog.Configure);
    }

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>Forgets calls and sales and clears injected faults, so each test starts clean.</summary>
    public void Reset()
    {
        Emulator.State.Reset();
        Emulator.State.ClearFaults();
    }
}
