using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;
using SampleShop.Forms;

namespace SampleShop.Pages.Products;

public sealed class ProductModel(ShopDbContext db) : PageModel
{
    public Product Product { get; private set; } = default!;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string? error)
    {
        var product = await db.Products.Include(p => p.Category).Include(p => p.Variants).FirstOrDefaultAsync(p => p.Id == id, HttpContext.RequestAborted);
        if (product is null)
        {
            return NotFound();
        }

        Product = product;
        Error = ShopMessages.FromQuery(error);
        return Page();
    }
}
