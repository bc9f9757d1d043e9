using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SampleShop.Orders;

namespace SampleShop.Pages.Orders;

public sealed class ConfirmationModel(OrderBook orders) : PageModel
{
    public Order Order { get; private set; } = default!;

    public IActionResult OnGet(string number)
    {
        if (orders.Find(number) is not { } order)
        {
            return NotFound();
        }

        Order = order;
        return Page();
    }
}
