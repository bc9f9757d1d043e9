namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The body of <c>POST {emulator}/_emulator/import</c>:
/// <c>{"baseUrl":"http://shop/clerk","key":"…","privateKey":"…","limit":100,"feeds":["product","category","order"]}</c>;
/// the keys default to the emulator's own, the rest to those of <see cref="ClerkEmulatorImportRequest"/>.
/// </summary>
internal sealed record ImportRequestBody(string? BaseUrl, string? Key, string? PrivateKey, int? Limit, IReadOnlyList<string>? Feeds)
{
    public const string Example = "{\"baseUrl\":\"http://localhost:5080/clerk\",\"key\":\"…\",\"privateKey\":\"…\",\"limit\":100,\"feeds\":[\"product\",\"category\",\"order\"]}";

    /// <summary>The request, or what is wrong with the body in words that say how to fix it.</summary>
    public (ClerkEmulatorImportRequest? Request, string? Problem) ToRequest(ClerkEmulatorOptions options)
    {
        if (string.IsNullOrWhiteSpace(BaseUrl) || !Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUrl))
        {
            return (null, $"baseUrl is required: the absolute address of the shop's feeds. Send {Example}.");
        }

        var request = new ClerkEmulatorImportRequest(baseUrl, Key ?? options.PublicKey, PrivateKey ?? options.PrivateKey)
        {
            Limit = Limit ?? 100,
            Feeds = Feeds ?? ClerkEmulatorImportRequest.AllFeeds,
        };
        return request.Problem() is { } problem ? (null, problem) : (request, null);
    }
}
