using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clerk.AspNetCore.TestShared;

namespace Clerk.AspNetCore.Testing.Tests;

/// <summary>One emulator on a loopback port for a test class; every test starts from <see cref="Reset"/>.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public ClerkEmulator Emulator { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Emulator = await ClerkEmulator.StartAsync(TestCatalog.Configure);
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
