using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// The feeds' answers: JSON, never cached (a page is private data and changes with the catalog), never sniffed as
/// anything else. Errors have the shape Clerk's own extensions use, <c>{"error":{"code":403,"message":"..."}}</c>.
/// </summary>
internal static class FeedResponses
{
    public const string ContentType = "application/json; charset=utf-8";

    public static void SetHeaders(HttpResponse response)
    {
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    public static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        SetHeaders(response);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteNumber("code", status);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
