using System.Globalization;

namespace SampleShop.Forms;

/// <summary>Form posts of the shop: read with a size cap, answered with 303 and an optional message for the visitor.</summary>
public static class ShopForm
{
    private const int MaxFormBytes = 16 * 1024;

    public static async Task<IFormCollection> ReadAsync(HttpContext context) =>
        await TryReadAsync(context) ?? FormCollection.Empty;

    /// <summary>The posted form, or <see langword="null"/> when the request has none or one beyond the limits.</summary>
    public static async Task<IFormCollection?> TryReadAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentLength > MaxFormBytes)
        {
            return null;
        }

        try
        {
            return await context.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = MaxFormBytes, ValueCountLimit = 32 }, context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    public static bool TryGetLong(IFormCollection form, string name, out long value) =>
        long.TryParse(form[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static bool TryGetInt(IFormCollection form, string name, out int value) =>
        int.TryParse(form[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// 303 See Other: the browser GETs the next page, so a refresh never posts the form again. A path on this site
    /// (<c>/cart</c>) stays in the request's market: under <c>/en</c> it becomes <c>/en/cart</c> (the path base).
    /// </summary>
    /// <param name="path">Where to; a path on this site, or an absolute URL (another site).</param>
    /// <param name="message">A message for the next page, as a code.</param>
    /// <param name="withinMarket">
    /// <see langword="false"/> for a path that already names its market (<c>/en/orders/…</c>), which is then left as it is.
    /// </param>
    public static IResult SeeOther(string path, ShopMessage? message = null, bool withinMarket = true) =>
        new SeeOtherResult(message is null ? path : $"{path}?error={message}", withinMarket);

    private sealed class SeeOtherResult(string location, bool withinMarket) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = withinMarket && location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal)
                ? httpContext.Request.PathBase + location
                : location;
            return Task.CompletedTask;
        }
    }
}
