using Clerk.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;
using SampleShop.Orders;

namespace SampleShop.Pages.Orders;

public sealed class ConfirmationModel(ShopDbContext db) : PageModel
{
    public Order Order { get; private set; } = default!;

    /// <summary>What Clerk gets of each line: the parent product, the price of one item, and how many.</summary>
    public IEnumerable<ClerkSaleLine> ClerkLines => Order.Lines.Select(l => new ClerkSaleLine(l.ProductId, l.UnitPrice, l.Quantity));

    public async Task<IActionResult> OnGetAsync(string number)
    {
        if (await OrderAccess.FindGrantedAsync(db.Orders.Include(o => o.Lines), HttpContext, number) is not { } order)
        {
            return NotFound();
        }

        Order = order;
        return Page();
    }
}
