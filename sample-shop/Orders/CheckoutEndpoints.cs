using System.Security.Cryptography;
using Clerk.AspNetCore;
using Microsoft.EntityFrameworkCore;
using SampleShop.Cart;
using SampleShop.Data;
using SampleShop.Forms;

namespace SampleShop.Orders;

/// <summary>
/// <c>POST /checkout</c> (email, createAccount?): turns the cart into an order, captures the Clerk visitor, empties
/// the cart, and answers 303 to <c>/orders/{number}/confirmation</c>. One transaction, so a double-clicked button
/// places one order. Without the form's antiforgery token: 400, and no order.
/// </summary>
public static class CheckoutEndpoints
{
    public static IEndpointRouteBuilder MapCheckoutEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/checkout", Checkout).RequireAntiforgeryToken();
        return endpoints;
    }

    private static async Task<IResult> Checkout(HttpContext context, ShopCart cart, ShopDbContext db, TimeProvider clock, IClerkTracker clerk)
    {
        var cancellation = context.RequestAborted;
        var form = await ShopForm.ReadAsync(context);
        var email = form["email"].ToString().Trim();
        if (email.Length is < 3 or > 254 || email.IndexOf('@', StringComparison.Ordinal) is < 1 || email.EndsWith('@'))
        {
            return ShopForm.SeeOther("/checkout", ShopMessage.EmailInvalid);
        }

        // SQLite transactions here take the write lock at once: a second checkout of the same cart waits, then
        // finds it empty.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var lines = await cart.GetLinesAsync(cancellation);
        if (lines.Count == 0)
        {
            return ShopForm.SeeOther("/cart", ShopMessage.CartEmpty);
        }

        var visitor = context.GetClerkVisitor();
        var order = new Order
        {
            Number = "NG-" + RandomNumberGenerator.GetInt32(10_000_000, 100_000_000),
            AccessKey = OrderAccess.NewKey(),
            Email = email,
            CustomerId = form["createAccount"] == "true" ? await NewCustomerAsync(db, email, cancellation) : null,

            // The visitor as the order is placed: a server-side sale, or support, can use it later.
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

        // The sale goes to Clerk from the server when Clerk:SaleTracking (or API mode) says so; with client-side
        // tracking this does nothing and the confirmation page's <clerk-sale> sends it. Either way, once per order.
        // Tracked inside the order's transaction: Clerk's outbox row (and its once-per-order claim) commits with the
        // order or not at all, so there is no order without its sale and no sale for an order that was rolled back.
        // It only writes a row: the order is placed whatever Clerk's state, and the worker sends it afterwards.
        await clerk.TrackSaleAsync(
            new ClerkSale(order.Number, order.Lines.Select(l => new ClerkSaleLine(l.ProductId, l.UnitPrice, l.Quantity)).ToArray())
            {
                Email = order.Email,
                Customer = order.CustomerId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            CancellationToken.None);
        await transaction.CommitAsync(cancellation);

        OrderAccess.Grant(context, order);
        return ShopForm.SeeOther($"/orders/{order.Number}/confirmation");
    }

    // A new account for a new e-mail. An e-mail that already has an account is not linked: this demo has no
    // sign-in, and linking without one would let anybody add orders (and Clerk history) to someone else's account.
    private static async Task<int?> NewCustomerAsync(ShopDbContext db, string email, CancellationToken cancellation)
    {
        if (await db.Customers.AnyAsync(c => c.Email == email, cancellation))
        {
            return null;
        }

        var customer = db.Customers.Add(new Customer { Email = email }).Entity;
        await db.SaveChangesAsync(cancellation);
        return customer.Id;
    }
}
