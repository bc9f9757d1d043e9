using System.Net;
using System.Text;
using System.Text.Json;
using Clerk.AspNetCore.Tests.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.Api;

/// <summary>With several Clerk stores, every call carries the keys of the request's store, or of the store a keyed client names.</summary>
public sealed class MultiStoreClientTests : IDisposable
{
    private readonly RecordingHandler _clerk = new();
    private readonly ServiceProvider _services;

    public MultiStoreClientTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddClerk(o =>
        {
            StoreTestOptions.TwoStores(o);
            o.Mode = ClerkIntegrationMode.Api;
        });
        services.AddHttpClient(ClerkOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _clerk);
        _services = services.BuildServiceProvider();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _services.Dispose();

    private IClerkClient ClientInRequest(string path)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Path = path;
        _services.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        return _services.GetRequiredService<IClerkClient>();
    }

    [Theory]
    [InlineData("/", StoreTestOptions.DanishKey)]
    [InlineData("/en/search", StoreTestOptions.EnglishKey)]
    public async Task LogClickAsync_InAStoresRequest_SendsThatStoresKey(string path, string key)
    {
        await ClientInRequest(path).LogClickAsync(12, ["Home - New"], cancellationToken: Ct);

        var call = Assert.Single(_clerk.Calls);
        Assert.Equal("log/click", call.Endpoint);
        Assert.Equal(key, call.Body.GetProperty("key").GetString());
    }

    [Fact]
    public async Task SearchAsync_InTheEnglishStoresRequest_SendsItsLanguage()
    {
        await ClientInRequest("/en").SearchAsync("search", new ClerkResultsRequest { Labels = ["Search"], Query = "hat" }, Ct);

        var call = Assert.Single(_clerk.Calls);
        Assert.Equal("english", call.Body.GetProperty("language").GetString());
        Assert.Equal(StoreTestOptions.EnglishKey, call.Body.GetProperty("key").GetString());
    }

    [Fact]
    public async Task ForgetAsync_InTheEnglishStoresRequest_SendsItsPrivateKeyOnly()
    {
        await ClientInRequest("/en").ForgetAsync(ClerkPrivacySubject.ByEmail("ann@example.com"), Ct);

        var call = Assert.Single(_clerk.Calls);
        Assert.Equal(StoreTestOptions.EnglishKey, call.Body.GetProperty("key").GetString());
        Assert.Equal(StoreTestOptions.EnglishPrivateKey, call.Body.GetProperty("private_key").GetString());
        Assert.DoesNotContain(StoreTestOptions.DanishPrivateKey, call.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogClickAsync_OutsideARequest_UsesTheDefaultStore()
    {
        _services.GetRequiredService<IHttpContextAccessor>().HttpContext = null;

        await _services.GetRequiredService<IClerkClient>().LogClickAsync(12, ["Home - New"], cancellationToken: Ct);

        Assert.Equal(StoreTestOptions.DanishKey, Assert.Single(_clerk.Calls).Body.GetProperty("key").GetString());
    }

    [Fact]
    public async Task KeyedClient_InAnotherStoresRequest_SendsItsOwnStoresKeys()
    {
        ClientInRequest("/");
        var english = _services.GetRequiredKeyedService<IClerkClient>("en");

        await english.GetAccountInfoAsync(Ct);

        var call = Assert.Single(_clerk.Calls);
        Assert.Equal(StoreTestOptions.EnglishKey, call.Body.GetProperty("key").GetString());
        Assert.Equal(StoreTestOptions.EnglishPrivateKey, call.Body.GetProperty("private_key").GetString());
    }

    [Fact]
    public void KeyedClient_UnknownStore_ThrowsListingTheStores()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _services.GetRequiredKeyedService<IClerkClient>("de"));

        Assert.Contains("The configured stores are: dk, en.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgetAsync_StoreWithoutPrivateKey_SaysWhichSettingIsMissing()
    {
        using var services = new ServiceCollection().AddLogging().AddClerk(o =>
        {
            StoreTestOptions.TwoStores(o);
            o.Stores["en"].PrivateKey = null;
        }).BuildServiceProvider();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            services.GetRequiredKeyedService<IClerkClient>("en").ForgetAsync(ClerkPrivacySubject.ByEmail("ann@example.com"), Ct));

        Assert.Contains("Set Clerk:Stores:en:PrivateKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithPrivateKey_BodyOfAnotherStore_GetsNoPrivateKey()
    {
        var english = _services.GetRequiredService<Clerk.AspNetCore.Configuration.ClerkStoreSet>().Get("en");
        var own = new Clerk.AspNetCore.Api.ClerkCall("log/returned", Encoding.UTF8.GetBytes($"{{\"key\":\"{StoreTestOptions.EnglishKey}\",\"product\":1}}"));
        var other = new Clerk.AspNetCore.Api.ClerkCall("log/returned", Encoding.UTF8.GetBytes($"{{\"key\":\"{StoreTestOptions.DanishKey}\",\"product\":1}}"));

        var sentOwn = Encoding.UTF8.GetString(Clerk.AspNetCore.Api.ClerkCalls.WithPrivateKey(own, english).Body);
        var sentOther = Encoding.UTF8.GetString(Clerk.AspNetCore.Api.ClerkCalls.WithPrivateKey(other, english).Body);

        Assert.Contains(StoreTestOptions.EnglishPrivateKey, sentOwn, StringComparison.Ordinal);
        Assert.DoesNotContain("private_key", sentOther, StringComparison.Ordinal);
    }

    private sealed record RecordedCall(string Endpoint, string Raw)
    {
        public JsonElement Body => JsonDocument.Parse(Raw).RootElement;
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<RecordedCall> Calls { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            lock (Calls)
            {
                Calls.Add(new RecordedCall(request.RequestUri!.AbsolutePath.Replace("/v2/", "", StringComparison.Ordinal), body));
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("{\"status\":\"ok\",\"result\":[]}", Encoding.UTF8, "application/json"),
            };
        }
    }
}
