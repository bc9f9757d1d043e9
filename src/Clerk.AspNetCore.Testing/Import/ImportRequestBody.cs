namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The body of <c>POST {emulator}/_emulator/import</c>:
/// <c>{"baseUrl":"http://shop/clerk","store":"…","key":"…","privateKey":"…","limit":100,"feeds":["product","category","order"]}</c>.
/// <c>store</c> (or <c>?store=</c>) is the public key of the store the import lands in; without it, the store whose
/// public key is <c>key</c>, else the default store. The keys default to that store's own, the rest to those of
/// <see cref="ClerkEmulatorImportRequest"/>.
/// </summary>
internal sealed record ImportRequestBody(string? BaseUrl, string? Key, string? PrivateKey, int? Limit, IReadOnlyList<string>? Feeds, string? Store = null)
{
    public const string Example = "{\"baseUrl\":\"http://localhost:5080/clerk\",\"store\":\"…\",\"key\":\"…\",\"privateKey\":\"…\",\"limit\":100,\"feeds\":[\"product\",\"category\",\"order\"]}";

    /// <summary>The request, or what is wrong with the body in words that say how to fix it.</summary>
    /// <param name="stores">The emulator's stores.</param>
    /// <param name="queryStore">The <c>store</c> of the query string, if any.</param>
    public (ClerkEmulatorImportRequest? Request, string? Problem) ToRequest(ClerkEmulatorStores stores, string? queryStore = null)
    {
        if (string.IsNullOrWhiteSpace(BaseUrl) || !Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUrl))
        {
            return (null, $"baseUrl is required: the absolute address of the shop's feeds. Send {Example}.");
        }

        if (Store is not null && queryStore is not null && Store != queryStore)
        {
            return (null, "store is named twice, in the query and in the body, differently: name it once.");
        }

        var named = Store ?? queryStore;
        var state = named is null ? stores.Find(Key) ?? stores.Default : stores.Find(named);
        if (state is null)
        {
            return (null, $"store names no store of the emulator: it is the public key of one of {string.Join(", ", stores.Select(s => $"'{s.PublicKey}'"))}.");
        }

        var request = new ClerkEmulatorImportRequest(baseUrl, Key ?? state.PublicKey, PrivateKey ?? state.PrivateKey)
        {
            Limit = Limit ?? 100,
            Feeds = Feeds ?? ClerkEmulatorImportRequest.AllFeeds,
            Store = state.PublicKey,
        };
        return request.Problem() is { } problem ? (null, problem) : (request, null);
    }
}
