using Microsoft.AspNetCore.Mvc.RazorPages;
using SampleShop.Cart;
using SampleShop.Data;
using SampleShop.Forms;

namespace SampleShop.Pages;

public sealed class CheckoutModel(ShopCart cart) : PageModel
{
    public IReadOnlyList<CartLine> Lines { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(string? error)
    {
        Error = ShopMessages.FromQuery(error);
        Lines = await cart.GetLinesAsync(HttpContext.RequestAborted);
    }
}
