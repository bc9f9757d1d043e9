using Clerk.AspNetCore;
using Clerk.AspNetCore.Testing;
using Microsoft.Extensions.Options;
using SampleShop.Markets;

namespace SampleShop.Emulator;

/// <summary>
/// Gives the shop's emulator its catalog the way Clerk gets it: once the shop listens, the emulator's importer pulls
/// the shop's own data feeds (<c>/clerk/product</c>, <c>/clerk/category</c>, <c>/clerk/order</c>) page by page, for
/// each market's Clerk store with its own demo keys (the English market's from <c>/en/clerk/…</c>). Start-up waits for it (a few pages), so the first page a visitor sees already has recommendations. A
/// failed import is logged and leaves the emulator's catalog empty; the inspector shows why, and
/// <c>POST {emulator}/_emulator/import</c> runs it again.
/// </summary>
internal sealed partial class EmulatorCatalogImport(
    ClerkEmulatorImporter importer,
    IOptions<ClerkOptions> clerk,
    ShopAddress address,
    ILogger<EmulatorCatalogImport> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        // One Clerk store per market, each importing its own catalog (its prices, its orders) with its own keys; the
        // English market's feeds are under its path base, as a store view's feeds are on its own URL in Magento.
        await ImportAsync(ClerkEmulatorOptions.DemoPublicKey, new Uri($"{address.Value}{clerk.Value.Feeds.PathPrefix}"), cancellationToken);
        await ImportAsync(ClerkEmulatorOptions.DemoPublicKeyEn, new Uri($"{address.Value}{ShopMarket.English.PathBase}{clerk.Value.Feeds.PathPrefix}"), cancellationToken);
    }

    private async Task ImportAsync(string store, Uri feeds, CancellationToken cancellationToken)
    {
        ClerkEmulatorImport import;
        try
        {
            import = await importer.ImportStoreAsync(store, feeds, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The shop runs without the emulator's catalog rather than not at all.
            ImportFailed(logger, feeds, exception.Message);
            return;
        }

        if (import.Succeeded)
        {
            ImportSucceeded(logger, feeds, import.Feeds.Sum(f => f.Items));
        }
        else
        {
            ImportFailed(logger, feeds, string.Join("; ", import.Errors));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "The Clerk emulator imported {Items} items from the shop's feeds at {Feeds}.")]
    private static partial void ImportSucceeded(ILogger logger, Uri feeds, int items);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error,
        Message = "The Clerk emulator could not import the shop's feeds at {Feeds}: {Errors}. Its catalog is empty until POST /clerk-emulator/_emulator/import succeeds.")]
    private static partial void ImportFailed(ILogger logger, Uri feeds, string errors);
}

/// <summary>The shop's own base address (its first URL), which its server-side calls to itself use.</summary>
/// <param name="Value">Such as <c>http://localhost:5000</c>, without a trailing slash.</param>
internal sealed record ShopAddress(string Value);
