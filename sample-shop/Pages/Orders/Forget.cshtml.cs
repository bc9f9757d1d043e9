using Clerk.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;
using SampleShop.Orders;

namespace SampleShop.Pages.Orders;

/// <summary>
/// "Forget me" for the buyer of an order, proved by the order's access cookie (anyone else gets 404, as on the
/// confirmation page), through <see cref="IClerkPrivacy"/>: Clerk forgets in every Clerk store of the shop (both
/// markets), and Clerk's own outbox is erased; then the shop removes the e-mail, customer and visitor from its own
/// orders, so that its order feed cannot give them back to Clerk at the next import.
/// <para>
/// The cookie proves that this browser placed this order, not that the e-mail typed at checkout is the buyer's (the
/// shop has no sign-in and sends no mail to confirm it). So the e-mail itself is forgotten (at Clerk, and on every order
/// that carries it) only when every order with that address was placed by this browser's Clerk visitor; otherwise
/// only this order's own data is: its visitor at Clerk, and its row here. Someone who typed another person's address
/// at checkout can thus erase nothing but their own order. A real shop would erase by e-mail after a signed-in request
/// or a confirmation link sent to the address.
/// </para>
/// </summary>
public sealed class ForgetModel(ShopDbContext db, IClerkPrivacy privacy) : PageModel
{
    public Order Order { get; private set; } = default!;

    /// <summary>What each kind of subject's erasure came to, once the buyer confirmed.</summary>
    public IReadOnlyList<ClerkErasureResult>? Results { get; private set; }

    /// <summary>Whether the e-mail address itself was forgotten, rather than only this order's data.</summary>
    public bool WholeAddress { get; private set; }

    public bool Forgotten => Order.Email.Length == 0;

    /// <summary>The e-mail address as the page shows it: enough to recognise, not to read (<c>a***@example.com</c>).</summary>
    public string MaskedEmail => Order.Email.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        ? Order.Email[0] + "***" + Order.Email[at..]
        : "***";

    public async Task<IActionResult> OnGetAsync(string number)
    {
        if (await FindAsync(number) is not { } order)
        {
            return NotFound();
        }

        Order = order;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string number)
    {
        if (await FindAsync(number) is not { } order)
        {
            return NotFound();
        }

        Order = order;
        if (Forgotten)
        {
            return Page();
        }

        var cancellation = HttpContext.RequestAborted;
        var email = order.Email;
        var visitor = order.ClerkVisitorId;
        WholeAddress = visitor is not null
            && await db.Orders.Where(o => o.Email == email).AllAsync(o => o.ClerkVisitorId == visitor, cancellation);

        var subjects = new List<ClerkPrivacySubject>();
        if (WholeAddress)
        {
            subjects.Add(ClerkPrivacySubject.ByEmail(email));
            if (order.CustomerId is { } customer)
            {
                subjects.Add(ClerkPrivacySubject.ByCustomer(customer.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        if (visitor is not null)
        {
            subjects.Add(ClerkPrivacySubject.ByVisitor(visitor));
        }

        var results = new List<ClerkErasureResult>();
        foreach (var subject in subjects)
        {
            results.Add(await privacy.ForgetAsync(subject, cancellation));
        }

        Results = results;
        if (!results.All(r => r.Succeeded))
        {
            // Nothing is removed here yet: trying again must still be able to name the person.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }

        // Only once Clerk forgot. The customer goes too: the order feed would link the orders to it again.
        var forgotten = WholeAddress ? db.Orders.Where(o => o.Email == email) : db.Orders.Where(o => o.Id == order.Id);
        await forgotten.ExecuteUpdateAsync(
            set => set.SetProperty(o => o.Email, "").SetProperty(o => o.ClerkVisitorId, (string?)null).SetProperty(o => o.CustomerId, (int?)null),
            cancellation);
        if (WholeAddress)
        {
            await db.Customers.Where(c => c.Email == email).ExecuteUpdateAsync(set => set.SetProperty(c => c.Email, ""), cancellation);
        }

        Order = (await FindAsync(number))!;
        return Page();
    }

    private Task<Order?> FindAsync(string number) => OrderAccess.FindGrantedAsync(db.Orders.AsNoTracking(), HttpContext, number);
}
