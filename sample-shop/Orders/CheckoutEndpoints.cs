using System.Security.Cryptography;
using Clerk.AspNetCore.Visitors;
using Microsoft.EntityFrameworkCore;
using SampleShop.Cart;
using SampleShop.Data;
using SampleShop.Forms;

namespace SampleShop.Orders;

/// <summary>
/// <c>POST /checkout</c> (email, createAccount?): turns the cart into an order, captures the Clerk visitor, empties
/// the cart, and answers 303 to <c>/orders/{number}/confirmation</c>.
/// </summary>
public static class CheckoutEndpoints
{
    public static IEndpointRouteBuilder MapCheckoutEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/checkout", Checkout);
        return endpoints;
    }

    private static async Task<IResult> Checkout(HttpContext context, ShopCart cart, ShopDbContext db, TimeProvider clock)
    {
        var cancellation = context.RequestAborted;
        var form = await ShopForm.ReadAsync(context);
        var lines = await cart.GetLinesAsync(cancellation);
        if (lines.Count == 0)
        {
            return ShopForm.SeeOther("/cart", "Your cart is empty.");
        }

        var email = form["email"].ToString().Trim();
        if (email.Length is < 3 or > 254 || email.IndexOf('@', StringComparison.Ordinal) is < 1 || email.EndsWith('@'))
        {
            return ShopForm.SeeOther("/checkout", "Enter the e-mail address for your receipt.");
        }

        int? customerId = null;
        if (form["createAccount"] == "true")
        {
            var customer = await db.Customers.FirstOrDefaultAsync(c => c.Email == email, cancellation)
                ?? db.Customers.Add(new Customer { Email = email }).Entity;
            await db.SaveChangesAsync(cancellation);
            customerId = customer.Id;
        }

        // The visitor as the order is placed: a server-side sale, or support, can use it later.
        var visitor = context.GetClerkVisitor();
        var order = new Order
        {
            Number = "NG-" + RandomNumberGenerator.GetInt32(10_000_000, 100_000_000),
            Email = email,
            CustomerId = customerId,
            ClerkVisitorId = visitor?.VisitorId,
            ClerkVisitorMode = (visitor?.Mode ?? ClerkVisitorMode.Disabled).ToString(),
            PlacedAt = clock.GetUtcNow(),
            Lines = lines.Select(l => new OrderLine
            {
                ProductId = l.ProductId,
                VariantId = l.VariantId,
                Name = l.Variant is null ? l.Product!.Name : $"{l.Product!.Name} ({l.Variant.Label})",
                UnitPrice = l.Product.Price,
                Quantity = l.Quantity,
            }).ToList(),
        };
        db.Orders.Add(order);
        await db.SaveChangesAsync(cancellation);
        await cart.ClearAsync(cancellation);

        return ShopForm.SeeOther($"/orders/{Uri.EscapeDataString(order.Number)}/confirmation");
    }
}
