using System.Text.Json;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// <c>POST /clerk/click</c>: a click on a server-rendered product Clerk chose, posted by the page with
/// <c>navigator.sendBeacon</c> as <c>{product, labels, api, position}</c>. The visitor is the request's, never the
/// body's. Answers 204 once the click is queued, or 400 with the reason.
/// </summary>
internal static class ClickBeacon
{
    public const int MaxBodyBytes = 4 * 1024;
    public const int MaxLabels = 10;
    public const int MaxLabelLength = 200;
    public const int MaxProductIdLength = 100;
    public const int MaxPosition = 10_000;

    private static readonly JsonSerializerOptions JsonOptions = new() { MaxDepth = 4 };
    private static readonly ApiJsonContext Json = new(JsonOptions);

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<ClerkOptions>>().Value;
        if (!options.Enabled)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        // Rate limiting first: refusing a flood must cost less than reading it.
        if (!services.GetRequiredService<ClickBeaconRateLimiter>().TryAdmit(context))
        {
            return;
        }

        if (SameOriginProblem(context.Request) is { } forbidden)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClickBeacon).FullName!).BeaconRejected(StatusCodes.Status403Forbidden, forbidden);
            services.GetRequiredService<ClerkMetrics>().DeliveryFailed("click", "BeaconForbidden");
            await Results.Problem(forbidden, statusCode: StatusCodes.Status403Forbidden, title: "Click from another site").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var (click, problem) = await ReadAsync(context).ConfigureAwait(false);
        if (problem is null)
        {
            services.GetRequiredService<IClerkTracker>().TrackClick(click!.Product!.Value, click.Labels!, click.Api, click.Position);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClickBeacon).FullName!).BeaconRejected(StatusCodes.Status400BadRequest, problem);
        services.GetRequiredService<ClerkMetrics>().DeliveryFailed("click", "BeaconInvalid");
        await Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid Clerk click").ExecuteAsync(context).ConfigureAwait(false);
    }

    private static async Task<(BeaconClick? Click, string? Problem)> ReadAsync(HttpContext context)
    {
        var request = context.Request;

        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "The body must be JSON sent as text/plain (navigator.sendBeacon) or application/json.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, $"The body is over {MaxBodyBytes} bytes; a click is {{product, labels, api, position}}.");
        }

        var body = await ReadBoundedAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (null, $"The body is over {MaxBodyBytes} bytes; a click is {{product, labels, api, position}}.");
        }

        BeaconClick? click;
        try
        {
            click = JsonSerializer.Deserialize(body, Json.BeaconClick);
        }
        catch (JsonException exception)
        {
            var where = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? string.Empty : $" (at {exception.Path})";
            return (null, $"The body is not a click{where}: send {{\"product\": 123 or \"id\", \"labels\": [\"Home - New\"], \"api\": \"recommendations/new\", \"position\": 0}}.");
        }

        return (click, Problem(click));
    }

    /// <summary>
    /// Browsers say where a request comes from: another site's page (or a sibling subdomain) must not log clicks in
    /// this shop's name. <c>Sec-Fetch-Site</c> must be <c>same-origin</c>; without it (older browsers), an
    /// <c>Origin</c> must be this request's scheme, host and port. A request with neither is not from a browser page
    /// (browsers send at least <c>Origin</c> on a POST), so it cannot be a cross-site page's; it is taken, rate limited.
    /// </summary>
    private static string? SameOriginProblem(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"];
        if (!StringValues.IsNullOrEmpty(site))
        {
            return string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase)
                ? null
                : "The click does not come from this shop's own pages (Sec-Fetch-Site is not same-origin); the beacon takes clicks from the shop's origin only.";
        }

        var origin = request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(origin))
        {
            return null;
        }

        var defaultPort = string.Equals(request.Scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
        return Uri.TryCreate(origin, UriKind.Absolute, out var from)
            && string.Equals(from.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(from.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && from.Port == (request.Host.Port ?? defaultPort)
            ? null
            : "The click's Origin is not this shop's (scheme, host and port of the request); the beacon takes clicks from the shop's origin only. Behind a reverse proxy, call app.UseForwardedHeaders() first so the request has the public scheme and host.";
    }

    private static string? Problem(BeaconClick? click)
    {
        if (click?.Product is not { HasValue: true } product)
        {
            return "The click has no product: send the parent product's catalog ID as \"product\".";
        }

        if (!product.IsNumber && product.ToString().Length > MaxProductIdLength)
        {
            return $"The product ID is over {MaxProductIdLength} characters.";
        }

        if (click.Labels is { Length: > MaxLabels })
        {
            return $"The click has over {MaxLabels} labels.";
        }

        if (ClerkLabels.Problem(click.Labels, "The click") is { } labelsProblem)
        {
            return labelsProblem;
        }

        if (click.Labels!.Any(l => l is null || l.Length > MaxLabelLength))
        {
            return $"A label is missing or over {MaxLabelLength} characters.";
        }

        if (click.Api is not null && !ClerkCalls.IsEndpointName(click.Api))
        {
            return "\"api\" is not a Clerk endpoint such as recommendations/popular or search/search.";
        }

        if (click.Position is < 0 or > MaxPosition)
        {
            return $"\"position\" must be from 0 to {MaxPosition}: the product's place in Clerk's results, counted from 0.";
        }

        return null;
    }

    /// <summary>The body, or <see langword="null"/> if it is longer than <see cref="MaxBodyBytes"/> (whatever Content-Length said).</summary>
    private static Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken) =>
        BoundedRequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
}
