using Microsoft.Extensions.Http;

namespace Clerk.AspNetCore.Api;

/// <summary>
/// Turns off automatic redirects on the primary handler of the Clerk <see cref="HttpClient"/>
/// (<see cref="ClerkOptions.HttpClientName"/>). A 307 or 308 re-posts the body, and every body carries the store's keys
/// (the private key for returns, privacy and account calls), to whatever host the <c>Location</c> names; Clerk's API
/// never redirects, so a redirect is a wrong <see cref="ClerkOptions.ApiBaseUrl"/> or someone in the middle, and
/// <see cref="ClerkHttp"/> reports it instead. A filter rather than <c>ConfigurePrimaryHttpMessageHandler</c>, because
/// a filter runs after every configuration of the client: an app that supplies its own primary handler (a proxy, say)
/// gets redirects turned off on it too.
/// </summary>
internal sealed class ClerkRedirectFilter : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (string.Equals(builder.Name, ClerkOptions.HttpClientName, StringComparison.Ordinal))
        {
            DisableRedirects(builder.PrimaryHandler);
        }
    };

    private static void DisableRedirects(HttpMessageHandler handler)
    {
        try
        {
            switch (handler)
            {
                case SocketsHttpHandler sockets:
                    sockets.AllowAutoRedirect = false;
                    break;
                case HttpClientHandler client:
                    client.AllowAutoRedirect = false;
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            // A handler the app shares and has already used cannot be changed any more; a redirect it does not
            // follow is still reported by ClerkHttp, and what it follows is the app's own choice of handler.
        }
    }
}
