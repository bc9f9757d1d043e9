using Clerk.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SampleShop.Data;
using SampleShop.Forms;

namespace SampleShop.Pages.Products;

public sealed class ProductModel(ShopDbContext db, IClerkTracker clerk, IOptions<ClerkOptions> clerkOptions) : PageModel
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

        // Without Clerk.js (API mode) nothing in the browser tells Clerk about the view: the server does.
        if (clerkOptions.Value.Mode == ClerkIntegrationMode.Api)
        {
            clerk.TrackProductView(product.Id);
        }

        return Page();
    }
}
