using System.Text.RegularExpressions;
using SampleShop.Forms;

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
        endpoints.MapGet("/orders/forget", (string? number) =>
        {
            var trimmed = number?.Trim().ToUpperInvariant();
            return trimmed is not null && OrderNumber().IsMatch(trimmed)
                ? ShopForm.SeeOther($"/orders/{trimmed}/forget")
                : ShopForm.SeeOther("/privacy", ShopMessage.OrderNumberInvalid);
        });
        return endpoints;
    }

    [GeneratedRegex("^NG-[0-9]{8}$")]
    private static partial Regex OrderNumber();
}
