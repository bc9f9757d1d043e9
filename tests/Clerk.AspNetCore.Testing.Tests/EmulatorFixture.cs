using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing.Tests;

/// <summary>One emulator on a loopback port for a test class; every test starts from <see cref="Reset"/>.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public ClerkEmulator Emulator { get; private set; } = null!;

    public HttpClient Http { get; } = new();

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
        Http.BaseAddress = Emulator.BaseAddress;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>Forgets calls and sales and clears injected faults, so each test starts clean.</summary>
    public void Reset()
    {
        Emulator.State.Reset();
        Emulator.State.ClearFaults();
    }

    public async Task<(HttpResponseMessage Response, JsonObject Body)> PostAsync(string endpoint, object arguments)
    {
        var response = await Http.PostAsync($"v2/{endpoint}", JsonContent.Create(JsonSerializer.SerializeToNode(arguments)), TestContext.Current.CancellationToken);
        return (response, await BodyAsync(response));
    }

    public async Task<(HttpResponseMessage Response, JsonObject Body)> PostRawAsync(string endpoint, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await Http.PostAsync($"v2/{endpoint}", content, TestContext.Current.CancellationToken);
        return (response, await BodyAsync(response));
    }

    public async Task<(HttpResponseMessage Response, string Text)> GetAsync(string pathAndQuery)
    {
        var response = await Http.GetAsync(pathAndQuery, TestContext.Current.CancellationToken);
        return (response, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<JsonObject> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
}
