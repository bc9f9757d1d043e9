using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clerk.AspNetCore.TestShared;

namespace Clerk.AspNetCore.Testing.Tests.Stores;

/// <summary>
/// An emulator with the two demo stores on a loopback port: the default store with the six test products (101–106),
/// the en store with three of its own (201–203), so a test sees at once which store a call reached.
/// </summary>
public sealed class StoresEmulator : IAsyncLifetime
{
    public const string Key = ClerkEmulatorOptions.DemoPublicKey;
    public const string PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
    public const string KeyEn = ClerkEmulatorOptions.DemoPublicKeyEn;
    public const string PrivateKeyEn = ClerkEmulatorOptions.DemoPrivateKeyEn;

    public ClerkEmulator Emulator { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public ClerkEmulatorState Default => Emulator.State;

    public ClerkEmulatorState En => Emulator.GetState(KeyEn);

    public static void Configure(ClerkEmulatorOptions options)
    {
        TestCatalog.Configure(options);
        var en = Assert.Single(options.AdditionalStores);
        en.Catalog.Add(new ClerkEmulatorProduct(201, "Wool Jumper", 59.95m) { Categories = ["knitwear"] });
        en.Catalog.Add(new ClerkEmulatorProduct(202, "Raincoat", 99m) { Categories = ["outerwear"] });
        en.Catalog.Add(new ClerkEmulatorProduct(203, "Scarf", 19m) { Categories = ["accessories"] });
    }

    public async ValueTask InitializeAsync()
    {
        Emulator = await ClerkEmulator.StartAsync(Configure);
        Http.BaseAddress = Emulator.BaseAddress;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>Forgets every store's calls and sales and clears their faults, so each test starts clean.</summary>
    public void Reset()
    {
        Emulator.Stores.Reset();
        Emulator.Stores.ClearFaults();
    }

    public async Task<(HttpResponseMessage Response, JsonObject Body)> PostAsync(string endpoint, object arguments)
    {
        var response = await Http.PostAsync($"v2/{endpoint}", JsonContent.Create(JsonSerializer.SerializeToNode(arguments)), TestContext.Current.CancellationToken);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject());
    }

    public async Task<(HttpResponseMessage Response, string Text)> GetAsync(string pathAndQuery)
    {
        var response = await Http.GetAsync(pathAndQuery, TestContext.Current.CancellationToken);
        return (response, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
