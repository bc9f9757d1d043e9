using Microsoft.Playwright;

namespace Clerk.AspNetCore.FunctionalTests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright (never a downloaded browser). <c>./test.sh</c> installs chromium when it is
/// missing; <c>CHROMIUM_PATH</c> points elsewhere if needed. Each test gets a fresh browser context.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    // Without these, chromium on a closed network stalls trying to reach Google's services.
    private static readonly string[] ClosedNetworkArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {executable}. Run ./test.sh, which installs Debian's chromium package, or set CHROMIUM_PATH.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ClosedNetworkArgs,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
