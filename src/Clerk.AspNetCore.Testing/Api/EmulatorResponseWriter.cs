using System.Text;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Writes an answer as Clerk does: JSON with the envelope's status code, or JSONP for Clerk.js. Apart from the
/// handlers, so no endpoint can forget <c>nosniff</c> or the JSONP status rule.
/// </summary>
internal static class EmulatorResponseWriter
{
    /// <summary>Writes <paramref name="response"/> to <paramref name="context"/>.</summary>
    /// <param name="context">The call's HTTP context.</param>
    /// <param name="response">The answer in Clerk's envelope.</param>
    /// <param name="callback">A callback that passed <see cref="JsonpCallback.IsValid"/>, or empty for JSON.</param>
    public static async Task WriteAsync(HttpContext context, EmulatorResponse response, string callback)
    {
        var json = response.Body.ToJsonString();
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (callback.Length > 0)
        {
            // JSONP, as Clerk.js calls the API. Always 200: a browser runs no script it got with an error status, so
            // errors travel in the envelope. The JSON's default encoder escapes <, > and &: it cannot end a script.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/javascript; charset=utf-8";
            await context.Response.WriteAsync($"/**/{callback}({json});", Encoding.UTF8).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, Encoding.UTF8).ConfigureAwait(false);
    }
}
