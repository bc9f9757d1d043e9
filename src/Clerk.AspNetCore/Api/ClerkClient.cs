using System.Text.Json;

namespace Clerk.AspNetCore.Api;

/// <summary>
/// <see cref="IClerkClient"/> over a typed <see cref="HttpClient"/> (named <see cref="ClerkOptions.HttpClientName"/>).
/// When Clerk is turned off (<see cref="ClerkOptions.Enabled"/>), log calls do nothing and results are empty.
/// </summary>
internal sealed class ClerkClient(HttpClient http, ClerkCalls calls, TimeProvider time) : IClerkClient
{
    /// <summary>A client for singletons (the worker, the health check), on the same named client as the typed one.</summary>
    public static ClerkClient Create(IHttpClientFactory httpClients, ClerkCalls calls, TimeProvider time) =>
        new(httpClients.CreateClient(ClerkOptions.HttpClientName), calls, time);

    public Task LogClickAsync(ClerkProductId product, IReadOnlyList<string> labels, string? api = null, int? position = null, ClerkVisitor visitor = default, CancellationToken cancellationToken = default) =>
        LogAsync(() => calls.Click(product, labels, api, position, visitor), cancellationToken);

    public Task LogSaleAsync(ClerkSale sale, CancellationToken cancellationToken = default) =>
        LogAsync(() => calls.Sale(sale), cancellationToken);

    public Task LogProductViewAsync(ClerkProductId product, ClerkVisitor visitor = default, CancellationToken cancellationToken = default) =>
        LogAsync(() => calls.ProductView(product, visitor), cancellationToken);

    public Task LogCategoryViewAsync(string category, ClerkVisitor visitor = default, CancellationToken cancellationToken = default) =>
        LogAsync(() => calls.CategoryView(category, visitor), cancellationToken);

    public Task LogEmailAsync(string email, ClerkVisitor visitor = default, CancellationToken cancellationToken = default) =>
        LogAsync(() => calls.Email(email, visitor), cancellationToken);

    public Task LogReturnAsync(ClerkProductId product, string orderId, int quantity, CancellationToken cancellationToken = default) =>
        LogAsync(() => calls.WithPrivateKey(calls.Return(product, orderId, quantity)), cancellationToken);

    public Task SetBasketAsync(IReadOnlyList<ClerkProductId> products, string email, CancellationToken cancellationToken = default) =>
        LogAsync(() => calls.Basket(products, email), cancellationToken);

    public Task<ClerkResults> GetRecommendationsAsync(string endpoint, ClerkResultsRequest request, CancellationToken cancellationToken = default) =>
        ResultsAsync("recommendations", endpoint, request, cancellationToken);

    public Task<ClerkResults> SearchAsync(string endpoint, ClerkResultsRequest request, CancellationToken cancellationToken = default) =>
        ResultsAsync("search", endpoint, request, cancellationToken);

    public Task<JsonElement> GetPrivacyInfoAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) =>
        AnswerAsync(calls.Privacy(ClerkEndpoints.PrivacyInfo, subject), cancellationToken);

    public async Task ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default) =>
        await AnswerAsync(calls.Privacy(ClerkEndpoints.PrivacyForget, subject), cancellationToken).ConfigureAwait(false);

    public Task<JsonElement> GetAccountInfoAsync(CancellationToken cancellationToken = default) =>
        AnswerAsync(calls.AccountInfo(), cancellationToken);

    /// <summary>Sends a checked call and returns Clerk's answer (status ok); the worker sends queued calls through this too.</summary>
    public async Task<JsonDocument> SendAsync(ClerkCall call, CancellationToken cancellationToken)
    {
        var options = calls.Options;
        return await ClerkHttp.PostAsync(http, options.ApiBaseUrl, call.Endpoint, call.Body, options.ApiTimeout, time, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task LogAsync(Func<ClerkCall> build, CancellationToken cancellationToken)
    {
        if (!calls.Options.Enabled)
        {
            return;
        }

        using var answer = await SendAsync(build(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement> AnswerAsync(ClerkCall call, CancellationToken cancellationToken)
    {
        if (!calls.Options.Enabled)
        {
            throw new InvalidOperationException($"{call.Endpoint} cannot be called: Clerk is turned off (Clerk:Enabled is false).");
        }

        using var answer = await SendAsync(call, cancellationToken).ConfigureAwait(false);
        return JsonObjects.Without(answer.RootElement, "status");
    }

    private async Task<ClerkResults> ResultsAsync(string family, string endpoint, ClerkResultsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!calls.Options.Enabled)
        {
            return new ClerkResults(endpoint, request.Labels, [], [], null, null);
        }

        var call = calls.Results(family, endpoint, request, out var fullEndpoint);

        using var answer = await SendAsync(call, cancellationToken).ConfigureAwait(false);
        return ReadResults(fullEndpoint, request.Labels, answer.RootElement);
    }

    private static ClerkResults ReadResults(string endpoint, IReadOnlyList<string> labels, JsonElement root)
    {
        var ids = new List<ClerkProductId>();
        if (root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Array)
        {
            foreach (var id in result.EnumerateArray())
            {
                if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number))
                {
                    ids.Add(number);
                }
                else if (id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text)
                {
                    ids.Add(text);
                }
            }
        }

        var data = new List<JsonElement>();
        if (root.TryGetProperty("product_data", out var productData) && productData.ValueKind == JsonValueKind.Array)
        {
            foreach (var product in productData.EnumerateArray())
            {
                data.Add(product.Clone());
            }
        }

        return new ClerkResults(endpoint, labels, ids, data, Int(root, "count"), Int(root, "hits"));
    }

    private static int? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
