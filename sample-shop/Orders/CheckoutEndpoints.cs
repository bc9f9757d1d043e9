using System.Security.Cryptography;
using Clerk.AspNetCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SampleShop.Cart;
using SampleShop.Data;
using SampleShop.Forms;
using SampleShop.Markets;
using SampleShop.Payments;

namespace SampleShop.Orders;

/// <summary>
/// <c>POST /checkout</c> (email, createAccount?): turns the cart into an order, captures the Clerk visitor, empties
/// the cart, and answers 303 to <c>/orders/{number}/confirmation</c>. One transaction, so a double-clicked button
/// places one order. Without the form's antiforgery token: 400, and no order.
/// <para>
/// With <c>payment=redirect</c> the order waits for its payment instead, and the answer is a 303 to the simulated
/// payment provider on another site (<see cref="SimulatedPaymentProvider"/>), which sends the buyer back with a
/// cross-site form POST to <c>/checkout/return</c>: that marks the order paid, tracks its sale with the visitor stored
/// at checkout, and answers 303 to the confirmation page.
/// </para>
/// </summary>
public static class CheckoutEndpoints
{
    public static IEndpointRouteBuilder MapCheckoutEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/checkout", Checkout).RequireAntiforgeryToken();

        // No antiforgery here: the provider's cross-site POST carries none of the shop's cookies (SameSite), so no
        // token could be checked. The signed, expiring payment reference in the form is what is checked instead.
        endpoints.MapPost("/checkout/return", Return);
        return endpoints;
    }

    private static async Task<IResult> Checkout(
        HttpContext context, ShopCart cart, ShopDbContext db, TimeProvider clock, IClerkTracker clerk, PaymentReferences payments, IConfiguration configuration)
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

        var payByRedirect = form["payment"] == "redirect";
        var visitor = context.GetClerkVisitor();
        var market = ShopMarket.Of(context);
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
            AwaitingPayment = payByRedirect,
            Market = market.Name,
            Lines = lines.Select(l => new OrderLine
            {
                ProductId = l.ProductId,
                VariantId = l.VariantId,
                Name = l.Variant is null ? l.Product!.Name : $"{l.Product!.Name} ({l.Variant.Label})",
                UnitPrice = market.Price(l.Product.Price),
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
        // An order paid on the provider's site is tracked when the provider sends the buyer back (Return).
        if (!payByRedirect)
        {
            await TrackSaleAsync(clerk, order, ClerkVisitor.FromRequest, declined: false);
        }

        await transaction.CommitAsync(cancellation);

        // Granted here, on the shop's own (same-site) answer: the cookie is SameSite=Lax, so after a payment it is
        // not sent with the provider's cross-site POST, but it is with the top-level GET of the confirmation page
        // that the return redirects to.
        OrderAccess.Grant(context, order);
        if (payByRedirect)
        {
            // The return comes back to this market (its path base), so the sale goes to its Clerk store.
            var shop = $"{context.Request.Scheme}://{context.Request.Host.ToUriComponent()}{context.Request.PathBase}";
            var reference = payments.Create(new PaymentRequest(order.Number, shop));
            return ShopForm.SeeOther(SimulatedPaymentProvider.PageUrl(PaymentHost.OriginFor(context.Request, configuration), reference));
        }

        return ShopForm.SeeOther($"/orders/{order.Number}/confirmation");
    }

    /// <summary>
    /// <c>POST /checkout/return</c> (reference): the payment provider sends the buyer back. A cross-site POST: none of
    /// the shop's SameSite cookies come with it, so nothing here may depend on the visitor of this request (the Clerk
    /// middleware sees an undecided stranger, and issues or deletes no cookie for it). The order is found through the
    /// signed payment reference; its sale is tracked with the visitor stored at checkout; and the buyer is sent on to
    /// the confirmation page, a top-level GET that brings the shop's Lax cookies (visitor, consent, order access) back.
    /// </summary>
    private static async Task<IResult> Return(HttpContext context, ShopDbContext db, IClerkTracker clerk, PaymentReferences payments)
    {
        var cancellation = context.RequestAborted;
        var form = await ShopForm.ReadAsync(context);
        if (!payments.TryRead(form["reference"], out var payment))
        {
            return Results.Text(
                "This payment could not be confirmed: its reference is not valid or has expired. Your order is not paid; go back to the shop and check out again.",
                "text/plain; charset=utf-8",
                statusCode: StatusCodes.Status400BadRequest);
        }

        // Single use: only an order still awaiting payment is paid, in one conditional update, so a double-clicked
        // "Pay now", a replayed form or the back button pays (and tracks) it once; later posts only redirect.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var paid = await db.Orders
            .Where(o => o.Number == payment.OrderNumber && o.AwaitingPayment)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.AwaitingPayment, false), cancellation);
        if (paid == 1)
        {
            var order = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Number == payment.OrderNumber, cancellation);

            // The visitor of checkout, stored with the order: this request's own visitor is a cookieless stranger.
            var declined = order.ClerkVisitorMode == nameof(ClerkVisitorMode.Disabled);
            var visitor = order.ClerkVisitorId is { } id && !declined ? ClerkVisitor.Of(id) : ClerkVisitor.None;
            // The order's own market's Clerk store, whatever path the provider posted back to.
            var tracker = context.RequestServices.GetRequiredService<IOptions<ClerkOptions>>().Value.Stores.Keys
                .Contains(order.Market, StringComparer.OrdinalIgnoreCase)
                ? context.RequestServices.GetRequiredKeyedService<IClerkTracker>(order.Market)
                : clerk;
            await TrackSaleAsync(tracker, order, visitor, declined);
        }

        await transaction.CommitAsync(cancellation);
        return ShopForm.SeeOther($"/orders/{Uri.EscapeDataString(payment.OrderNumber)}/confirmation");
    }

    private static async Task TrackSaleAsync(IClerkTracker clerk, Order order, ClerkVisitor visitor, bool declined) =>
        await clerk.TrackSaleAsync(
            new ClerkSale(order.Number, order.Lines.Select(l => new ClerkSaleLine(l.ProductId, l.UnitPrice, l.Quantity)).ToArray())
            {
                // A visitor who declined gets no e-mail or customer linked to the sale, as Clerk does for a declined
                // request's visitor (an explicit ClerkVisitor.None alone would not say they declined).
                Email = declined ? null : order.Email,
                Customer = declined ? null : order.CustomerId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Visitor = visitor,
            },
            CancellationToken.None);

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
