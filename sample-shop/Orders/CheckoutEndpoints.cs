using SampleShop.Catalog;

namespace SampleShop.Orders;

/// <summary>
/// <c>POST /checkout</c>: a stub checkout that buys one product (a variant and a quantity) until the shop has a cart.
/// Places the order and sends the browser to its confirmation page (303).
/// </summary>
public static class CheckoutEndpoints
{
    public const int MaxQuantity = 99;

    public static IEndpointRouteBuilder MapCheckoutEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/checkout", (HttpContext context, ShopCatalog catalog, OrderBook orders) => Checkout(context, catalog, orders));
        return endpoints;
    }

    private static async Task<IResult> Checkout(HttpContext context, ShopCatalog catalog, OrderBook orders)
    {
        if (!context.Request.HasFormContentType)
        {
            return Results.BadRequest("Send the checkout form.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var email = form["email"].ToString().Trim();
        if (!long.TryParse(form["productId"], out var productId) || catalog.Find(productId) is not { } product)
        {
            return new SeeOther("/?error=" + Uri.EscapeDataString("That product does not exist."));
        }

        if (!int.TryParse(form["quantity"], out var quantity) || quantity < 1 || quantity > MaxQuantity)
        {
            return Back(productId, $"Choose a quantity from 1 to {MaxQuantity}.");
        }

        if (email.Length is 0 or > 254 || !email.Contains('@', StringComparison.Ordinal))
        {
            return Back(productId, "Enter the e-mail address for your receipt.");
        }

        long? variantId = long.TryParse(form["variantId"], out var v) ? v : null;
        var variant = variantId is null ? null : product.Variants.FirstOrDefault(x => x.Id == variantId);
        if (variantId is not null && variant is null)
        {
            return Back(productId, "Choose one of the sizes shown.");
        }

        var name = variant is null ? product.Name : $"{product.Name}, {variant.Label}";
        var order = orders.Place(email, customerId: null, [new OrderLine(product.Id, variant?.Id, name, product.Price, quantity)], context.GetClerkVisitor());
        return new SeeOther($"/orders/{Uri.EscapeDataString(order.Number)}/confirmation");
    }

    private static IResult Back(long productId, string message) =>
        new SeeOther($"/products/{productId}?error={Uri.EscapeDataString(message)}");

    /// <summary>303 See Other: after a POST, the browser GETs the next page, so a refresh never posts again.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
