using System.Text.Encodings.Web;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;

namespace SampleShop.Payments;

/// <summary>
/// A stand-in for a hosted payment page (a card form, 3-D Secure), opt-in at checkout (<c>payment=redirect</c>):
/// <c>GET /simulated-payment/pay?reference=…</c>, served on <see cref="PaymentHost"/> (another site), shows the order's
/// total and a <c>#pay-now</c> button. That button posts a plain form, cross-site, to the shop's
/// <c>/checkout/return</c>, the way real providers send the buyer back. It is a plain page with no Clerk on it: Clerk
/// never runs on the provider's site.
/// </summary>
public static class SimulatedPaymentProvider
{
    public const string PagePath = "/simulated-payment/pay";

    public static IEndpointRouteBuilder MapSimulatedPaymentProvider(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PagePath, Page);
        return endpoints;
    }

    /// <summary>The provider's page for a payment, on the provider's origin.</summary>
    public static string PageUrl(string providerOrigin, string reference) =>
        $"{providerOrigin}{PagePath}?reference={Uri.EscapeDataString(reference)}";

    private static async Task<IResult> Page(string? reference, PaymentReferences references, ShopDbContext db, HttpContext context)
    {
        if (!references.TryRead(reference, out var payment))
        {
            return Results.Text("This payment link is not valid or has expired. Go back to the shop and check out again.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var order = await db.Orders.AsNoTracking().Include(o => o.Lines)
            .FirstOrDefaultAsync(o => o.Number == payment.OrderNumber, context.RequestAborted);
        if (order is null)
        {
            return Results.NotFound();
        }

        var html = HtmlEncoder.Default;
        var action = html.Encode(payment.ReturnOrigin + "/checkout/return");
        var page = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8" /><title>Simulated payment provider</title>
            <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1.1rem;padding:.6rem 1.4rem}</style></head>
            <body>
            <h1>Simulated payment provider</h1>
            <p>Another site than the shop: paying sends you back with a cross-site form POST, as card payments and 3-D Secure do.</p>
            <p>Order <strong id="payment-order">{{html.Encode(order.Number)}}</strong>, total <strong id="payment-total">{{html.Encode(order.Total.ToString("C"))}}</strong>.</p>
            <form method="post" action="{{action}}" id="payment-form">
            <input type="hidden" name="reference" value="{{html.Encode(reference!)}}" />
            <button type="submit" id="pay-now">Pay now</button>
            </form>
            </body>
            </html>
            """;
        return Results.Content(page, "text/html; charset=utf-8");
    }
}
