using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;
using SampleShop.Forms;
using SampleShop.Markets;

namespace SampleShop.Orders;

/// <summary>
/// <c>GET /orders/forget?number=</c>: the privacy page's "forget me" form. The order's access cookie is scoped to the
/// order's path, so the browser shows it only under <c>/orders/{number}</c>: this sends the buyer there
/// (<c>/orders/{number}/forget</c>), where the cookie proves they placed the order.
/// </summary>
public static partial class ForgetMeEndpoints
{
    public static IEndpointRouteBuilder MapForgetMe(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/orders/forget", async (string? number, ShopDbContext db, HttpContext context) =>
        {
            var trimmed = number?.Trim().ToUpperInvariant();
            if (trimmed is null || !OrderNumber().IsMatch(trimmed))
            {
                return ShopForm.SeeOther("/privacy", ShopMessage.OrderNumberInvalid);
            }

            // The order's access cookie is scoped to its own market's path (/en/orders/… for the English market), so
            // an order of the other market is forgotten there. An unknown number stays in this market (and gets 404).
            var market = await db.Orders.Where(o => o.Number == trimmed).Select(o => o.Market).FirstOrDefaultAsync(context.RequestAborted);
            var path = (market is null ? ShopMarket.Of(context) : ShopMarket.Named(market)).Link($"/orders/{trimmed}/forget");
            return ShopForm.SeeOther(path, withinMarket: false);
        });
        return endpoints;
    }

    [GeneratedRegex("^NG-[0-9]{8}$")]
    private static partial Regex OrderNumber();
}
