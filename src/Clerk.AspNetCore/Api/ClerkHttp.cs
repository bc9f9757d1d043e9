using System.Net.Http.Headers;
using System.Text.Json;

namespace Clerk.AspNetCore.Api;

/// <summary>
/// One call to Clerk's API: a JSON POST, with Clerk's error envelope (whatever the HTTP status) turned into a
/// <see cref="ClerkApiException"/>. Used by <see cref="ClerkClient"/> and by the delivery worker, so both read Clerk's
/// answers the same way.
/// </summary>
internal static class ClerkHttp
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <summary>Posts <paramref name="body"/> to <paramref name="endpoint"/> and returns Clerk's answer (status ok).</summary>
    public static async Task<JsonDocument> PostAsync(
        HttpClient http, Uri baseUrl, string endpoint, byte[] body, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, EndpointUrl(baseUrl, endpoint))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
        };

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var answer = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return Read(endpoint, response, answer, time);
        }
        catch (OperationCanceledException exception) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Clerk did not answer {endpoint} within {timeout.TotalSeconds:0.###} s (ClerkOptions.ApiTimeout).", exception);
        }
    }

    public static Uri EndpointUrl(Uri baseUrl, string endpoint) =>
        new(string.Concat(baseUrl.OriginalString.TrimEnd('/'), "/", endpoint), UriKind.Absolute);

    private static JsonDocument Read(string endpoint, HttpResponseMessage response, byte[] answer, TimeProvider time)
    {
        var status = (int)response.StatusCode;
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(answer, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            // Not Clerk's JSON (a proxy's error page, say): described below by its HTTP status.
        }

        try
        {
            if (status is >= 300 and < 400)
            {
                // Redirects are not followed (ClerkRedirectFilter): following one would send the keys elsewhere.
                throw new ClerkApiException(
                    endpoint, status, ClerkErrorType.Unknown,
                    $"Clerk's address answered with a redirect (HTTP {status}) to {Destination(response)}, which is not followed because it would send the API keys there. Check ClerkOptions.ApiBaseUrl (Clerk:ApiBaseUrl): Clerk's API is '{ClerkOptions.DefaultApiBaseUrl}' and never redirects.");
            }

            var root = document?.RootElement;
            if (root is { ValueKind: JsonValueKind.Object } envelope
                && envelope.TryGetProperty("status", out var statusValue)
                && statusValue.ValueKind == JsonValueKind.String
                && statusValue.ValueEquals("error"))
            {
                throw FromEnvelope(endpoint, status, envelope, RetryAfter(response, time));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ClerkApiException(
                    endpoint, status, ClerkErrorType.Unknown,
                    $"HTTP {status} {response.ReasonPhrase} without Clerk's error envelope; check ClerkOptions.ApiBaseUrl.",
                    retryAfter: RetryAfter(response, time));
            }

            if (root is not { ValueKind: JsonValueKind.Object })
            {
                throw new ClerkApiException(endpoint, status, ClerkErrorType.Unknown, "The answer is not a JSON object; check ClerkOptions.ApiBaseUrl.");
            }

            var result = document!;
            document = null;
            return result;
        }
        finally
        {
            document?.Dispose();
        }
    }

    // Only where the redirect points (scheme, host and port): enough to see the mistake, and no query or user info.
    private static string Destination(HttpResponseMessage response) => response.Headers.Location switch
    {
        { IsAbsoluteUri: true } location => $"'{location.Scheme}://{location.Authority}'",
        null => "nowhere (no Location header)",
        _ => "another path on the same host",
    };

    private static ClerkApiException FromEnvelope(string endpoint, int status, JsonElement envelope, TimeSpan? retryAfter)
    {
        var typeText = Text(envelope, "type");
        var type = typeText is not null && Enum.TryParse<ClerkErrorType>(typeText, ignoreCase: false, out var parsed) && parsed != ClerkErrorType.Unknown
            ? parsed
            : ClerkErrorType.Unknown;
        var moreInfo = Uri.TryCreate(Text(envelope, "moreInfo"), UriKind.Absolute, out var uri) ? uri : null;
        return new ClerkApiException(
            endpoint, status, type, Text(envelope, "message") ?? "(no message)", Text(envelope, "id"), moreInfo, retryAfter);
    }

    private static string? Text(JsonElement envelope, string name) =>
        envelope.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
