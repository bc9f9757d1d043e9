using SampleShop.Forms;

namespace SampleShop.Cart;

/// <summary>
/// <c>POST /cart/add</c> (productId, variantId?, quantity), <c>/cart/update</c> (lineId, quantity) and
/// <c>/cart/remove</c> (lineId): each answers 303 to the cart, or back to the product with a message; 400 without the
/// form's antiforgery token.
/// </summary>
public static class CartEndpoints
{
    public static IEndpointRouteBuilder MapCartEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/cart/add", async (HttpContext context, ShopCart cart) =>
        {
            var form = await ShopForm.ReadAsync(context);
            if (!ShopForm.TryGetLong(form, "productId", out var productId))
            {
                return ShopForm.SeeOther("/", ShopMessage.ProductNotFound);
            }

            long? variantId = ShopForm.TryGetLong(form, "variantId", out var variant) ? variant : null;
            var quantity = ShopForm.TryGetInt(form, "quantity", out var q) ? q : 0;
            var problem = await cart.AddAsync(productId, variantId, quantity, context.RequestAborted);
            return problem is null ? ShopForm.SeeOther("/cart") : ShopForm.SeeOther($"/products/{productId}", problem);
        }).RequireAntiforgeryToken();

        endpoints.MapPost("/cart/update", async (HttpContext context, ShopCart cart) =>
        {
            var form = await ShopForm.ReadAsync(context);
            var quantity = ShopForm.TryGetInt(form, "quantity", out var q) ? q : -1;
            var problem = ShopForm.TryGetInt(form, "lineId", out var lineId)
                ? await cart.UpdateAsync(lineId, quantity, context.RequestAborted)
                : ShopMessage.LineGone;
            return ShopForm.SeeOther("/cart", problem);
        }).RequireAntiforgeryToken();

        endpoints.MapPost("/cart/remove", async (HttpContext context, ShopCart cart) =>
        {
            var form = await ShopForm.ReadAsync(context);
            if (ShopForm.TryGetInt(form, "lineId", out var lineId))
            {
                await cart.RemoveAsync(lineId, context.RequestAborted);
            }

            return ShopForm.SeeOther("/cart");
        }).RequireAntiforgeryToken();

        return endpoints;
    }
}
