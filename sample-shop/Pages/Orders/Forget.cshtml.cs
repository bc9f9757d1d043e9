using Clerk.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;
using SampleShop.Orders;

namespace SampleShop.Pages.Orders;

/// <summary>
/// "Forget me" for the buyer of an order, proved by the order's access cookie (anyone else gets 404, as on the
/// confirmation page). Confirming asks Clerk to forget the buyer in every Clerk store of the shop (both markets),
/// by e-mail, customer ID and the visitor ID of checkout, through <see cref="IClerkPrivacy"/>, which also erases what
/// Clerk's outbox still holds; then the shop removes the e-mail and visitor from its own orders, so that the order
/// feed cannot give them back to Clerk at the next import.
/// </summary>
public sealed class ForgetModel(ShopDbContext db, IClerkPrivacy privacy) : PageModel
{
    public Order Order { get; private set; } = default!;

    /// <summary>What each kind of subject's erasure came to, once the buyer confirmed.</summary>
    public IReadOnlyList<ClerkErasureResult>? Results { get; private set; }

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
        var subjects = new List<ClerkPrivacySubject> { ClerkPrivacySubject.ByEmail(order.Email) };
        if (order.CustomerId is { } customer)
        {
            subjects.Add(ClerkPrivacySubject.ByCustomer(customer.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (order.ClerkVisitorId is { } visitor)
        {
            subjects.Add(ClerkPrivacySubject.ByVisitor(visitor));
        }

        var results = new List<ClerkErasureResult>();
        foreach (var subject in subjects)
        {
            results.Add(await privacy.ForgetAsync(subject, cancellation));
        }

        Results = results;
        if (results.All(r => r.Succeeded))
        {
            // Only once Clerk forgot: a failed attempt keeps the e-mail, so that trying again can still name the person.
            var email = order.Email;
            await db.Orders.Where(o => o.Email == email)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.Email, "").SetProperty(o => o.ClerkVisitorId, (string?)null), cancellation);
            await db.Customers.Where(c => c.Email == email).ExecuteUpdateAsync(set => set.SetProperty(c => c.Email, ""), cancellation);
            Order = (await FindAsync(number))!;
        }
        else
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }

        return Page();
    }

    private async Task<Order?> FindAsync(string number)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Number == number, HttpContext.RequestAborted);
        return order is not null && OrderAccess.IsGranted(HttpContext, order) ? order : null;
    }
}
